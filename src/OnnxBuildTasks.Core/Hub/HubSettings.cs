namespace OnnxBuildTasks.Hub;

/// <summary>
/// Where and how to reach the Hugging Face Hub: endpoint, token, offline mode and the cache folder.
/// <see cref="FromEnvironment"/> reads them as huggingface_hub does. The token is never part of
/// <see cref="ToString"/> and never leaves this object except in an Authorization header to the endpoint's host.
/// </summary>
public sealed class HubSettings
{
    /// <summary>The public Hub.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    private static readonly string[] TrueValues = ["1", "ON", "YES", "TRUE"];

    /// <summary>Creates settings from explicit values.</summary>
    public HubSettings(Uri endpoint, string? token, bool offline, string cacheDir)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(cacheDir);
        Endpoint = new Uri(endpoint.ToString().TrimEnd('/') + "/");
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        Offline = offline;
        CacheDir = Path.GetFullPath(cacheDir);
    }

    /// <summary>Hub base URL, ending with '/'.</summary>
    public Uri Endpoint { get; }

    /// <summary>The access token, or null for anonymous access.</summary>
    internal string? Token { get; }

    /// <summary>True when a token is configured (without revealing it).</summary>
    public bool HasToken => Token is not null;

    /// <summary>Never touch the network; serve from the cache only.</summary>
    public bool Offline { get; }

    /// <summary>The Hub cache root (the folder holding models--org--name).</summary>
    public string CacheDir { get; }

    /// <summary>
    /// Reads the environment: endpoint <paramref name="endpoint"/> (OnnxHubEndpoint) else HF_ENDPOINT else huggingface.co;
    /// token HF_TOKEN else the file $HF_HOME/token; offline <paramref name="offline"/> (OnnxOffline) else HF_HUB_OFFLINE;
    /// cache HF_HUB_CACHE else $HF_HOME/hub else ~/.cache/huggingface/hub.
    /// </summary>
    public static HubSettings FromEnvironment(string? endpoint = null, bool? offline = null, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var hfHome = NonEmpty(env("HF_HOME")) ?? Path.Combine(Home(env), ".cache", "huggingface");
        var url = NonEmpty(endpoint) ?? NonEmpty(env("HF_ENDPOINT"));
        var token = NonEmpty(env("HF_TOKEN")) ?? ReadTokenFile(Path.Combine(hfHome, "token"));
        var cache = NonEmpty(env("HF_HUB_CACHE")) ?? Path.Combine(hfHome, "hub");
        return new HubSettings(url is null ? DefaultEndpoint : new Uri(url), token, offline ?? IsTrue(env("HF_HUB_OFFLINE")), cache);
    }

    /// <summary>True for 1/ON/YES/TRUE in any case, as huggingface_hub reads boolean variables.</summary>
    public static bool IsTrue(string? value) => value is not null && TrueValues.Contains(value.Trim().ToUpperInvariant());

    /// <inheritdoc />
    public override string ToString() =>
        $"endpoint={Endpoint} token={(HasToken ? "(set)" : "(none)")} offline={Offline} cache={CacheDir}";

    private static string? ReadTokenFile(string path) => File.Exists(path) ? NonEmpty(File.ReadAllText(path).Trim()) : null;

    private static string Home(Func<string, string?> env) =>
        NonEmpty(env("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
