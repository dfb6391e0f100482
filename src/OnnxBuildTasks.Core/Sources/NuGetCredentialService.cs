using System.Collections.Concurrent;
using System.Net;
using NuGet.Configuration;
using NuGet.Protocol;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// The credential service NuGet.Protocol's HTTP handler asks after a feed answers 401/403. The credentials of
/// the project's nuget.config chain (<c>packageSourceCredentials</c>) are sent by NuGet.Protocol itself before this
/// is consulted; this adds credential-provider plugins (<see cref="NuGetPluginCredentials"/>), never prompting.
/// A feed's plugin credentials are kept for the process; when they are refused the plugins are asked once more
/// with IsRetry set, then the request fails with the feed's 401 (the count restarts after credentials worked).
/// Credentials are never logged.
/// </summary>
public sealed class NuGetCredentialService : ICredentialService
{
    private const int MaxAttemptsPerSource = 2;
    private static readonly Lazy<NuGetCredentialService> Shared = new(() => new NuGetCredentialService());

    // Discovery reads NUGET_PLUGIN_PATHS; a changed value (another project, a test) gets its own discovery.
    private readonly ConcurrentDictionary<string, NuGetPluginCredentials> _plugins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NetworkCredential> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    private NuGetCredentialService() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var p in _plugins.Values) p.Dispose(); };

    /// <summary>
    /// Makes this the credential service of NuGet.Protocol's HTTP requests in this process, unless the host
    /// (e.g. NuGet's own restore in the same MSBuild node) already installed one, which then stays.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (Shared)
        {
            if (HttpHandlerResourceV3.CredentialService is not null) return;
            HttpHandlerResourceV3.CredentialService = new Lazy<ICredentialService>(() => Shared.Value);
            if (HttpHandlerResourceV3.CredentialsSuccessfullyUsed is null)
                HttpHandlerResourceV3.CredentialsSuccessfullyUsed = (uri, _) => Shared.Value._attempts.TryRemove(Key(uri), out var _);
        }
    }

    /// <inheritdoc />
    public bool HandlesDefaultCredentials => false;

    /// <inheritdoc />
    public async Task<ICredentials?> GetCredentialsAsync(Uri uri, IWebProxy? proxy, CredentialRequestType type, string? message, CancellationToken cancellationToken)
    {
        if (type == CredentialRequestType.Proxy) return null;
        var key = Key(uri);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var attempt = _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            // Asked again only when the plugins' credentials were refused; no plugin knowing the feed stays so.
            if (attempt > MaxAttemptsPerSource || (attempt > 1 && !_known.ContainsKey(key))) return null;
            // A retry when credentials given before for this feed were refused (wrong, or an expired token).
            var credentials = await PluginsFor(PluginPathsKey()).GetAsync(uri, isRetry: _known.ContainsKey(key), cancellationToken);
            if (credentials is null) _known.TryRemove(key, out _);
            else _known[key] = credentials;
            return credentials;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public bool TryGetLastKnownGoodCredentialsFromCache(Uri uri, bool isProxy, out ICredentials? credentials)
    {
        credentials = !isProxy && _known.TryGetValue(Key(uri), out var c) ? c : null;
        return credentials is not null;
    }

    private NuGetPluginCredentials PluginsFor(string pathsKey) => _plugins.GetOrAdd(pathsKey, _ => new NuGetPluginCredentials());

    private static string PluginPathsKey() =>
        $"{Environment.GetEnvironmentVariable("NUGET_PLUGIN_PATHS")}|{Environment.GetEnvironmentVariable("NUGET_NETCORE_PLUGIN_PATHS")}";

    private static string Key(Uri uri) => uri.GetLeftPart(UriPartial.Path).ToLowerInvariant();
}
