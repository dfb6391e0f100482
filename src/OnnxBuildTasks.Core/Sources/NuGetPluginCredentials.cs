using System.Net;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol.Plugins;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// Asks NuGet credential-provider plugins (the cross-platform plugin protocol: <c>NUGET_PLUGIN_PATHS</c>,
/// <c>NUGET_NETCORE_PLUGIN_PATHS</c> or the default <c>~/.nuget/plugins</c> folders, as the Azure Artifacts
/// Credential Provider installs itself) for a feed's credentials, without any prompt. Only plugins that claim
/// the Authentication operation are asked; the plugin processes end when this object is disposed.
/// </summary>
public sealed class NuGetPluginCredentials : IDisposable
{
    private readonly PluginManager _manager = new(
        EnvironmentVariableWrapper.Instance,
        new Lazy<IPluginDiscoverer>(() => new PluginDiscoverer()),
        timeout => new PluginFactory(timeout),
        new Lazy<string>(SettingsUtility.GetPluginsCacheFolder));

    /// <summary>
    /// The first credentials an Authentication plugin gives for <paramref name="source"/>, or null when no plugin
    /// is installed, none claims authentication, or none knows the feed. <paramref name="isRetry"/> tells the
    /// plugins the credentials they gave before were refused, so they do not hand out a cached token again.
    /// A plugin that fails to start or answers with an error is skipped.
    /// </summary>
    public async Task<NetworkCredential?> GetAsync(Uri source, bool isRetry, CancellationToken ct)
    {
        foreach (var found in await _manager.FindAvailablePluginsAsync(ct))
        {
            var (created, result) = await _manager.TryGetSourceAgnosticPluginAsync(found, OperationClaim.Authentication, ct);
            if (!created || result?.Plugin is null || result.Claims?.Contains(OperationClaim.Authentication) != true) continue;
            GetAuthenticationCredentialsResponse? response;
            try
            {
                response = await result.Plugin.Connection.SendRequestAndReceiveResponseAsync<GetAuthenticationCredentialsRequest, GetAuthenticationCredentialsResponse>(
                    MessageMethod.GetAuthenticationCredentials,
                    new GetAuthenticationCredentialsRequest(source, isRetry, isNonInteractive: true, canShowDialog: false), ct);
            }
            catch (Exception e) when (e is ProtocolException or TimeoutException or IOException or InvalidOperationException)
            {
                continue;
            }
            if (response is { ResponseCode: MessageResponseCode.Success } && (response.Username is { Length: > 0 } || response.Password is { Length: > 0 }))
                return new NetworkCredential(response.Username, response.Password);
        }
        return null;
    }

    /// <summary>Closes the plugin processes this object started.</summary>
    public void Dispose() => _manager.Dispose();
}
