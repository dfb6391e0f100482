using OnnxBuildTasks.Hub;
using OnnxBuildTasks.HubServer;

namespace OnnxBuildTasks.Tests.Hub;

/// <summary>
/// A local Hub serving test repos, plus a fresh Hugging Face cache folder. Repos:
/// org/tiny-bert (v1 tagged v1.0; main = v2 with another config.json; TF/Flax/ONNX duplicates beside the
/// safetensors and .bin weights), org/sharded (sharded safetensors and .bin), org/gated, org/private.
/// </summary>
internal sealed class HubTestEnv : IAsyncDisposable
{
    public const string Token = "hf_TESTSECRET_4c0ffee5d00d";
    public static readonly RetryPolicy FastRetry = new() { BaseDelay = TimeSpan.FromMilliseconds(10), IdleTimeout = TimeSpan.FromSeconds(10) };

    private readonly TempDir _dir;

    private HubTestEnv(TempDir dir, LocalHub hub)
    {
        _dir = dir;
        Hub = hub;
    }

    public LocalHub Hub { get; }

    public string ReposRoot => _dir.Combine("repos");

    public string CacheDir => _dir.Combine("hf-cache");

    public string Scratch(params string[] parts) => _dir.Combine(parts);

    public static async Task<HubTestEnv> StartAsync(Action<string>? addRepos = null)
    {
        var dir = Fixtures.NewTempDir();
        var root = dir.Combine("repos");
        WriteStandardRepos(root);
        addRepos?.Invoke(root);
        return new HubTestEnv(dir, await LocalHub.StartAsync(root));
    }

    public static byte[] Bert(string file) => File.ReadAllBytes(Fixtures.Path("hf-tiny", "bert-token-classification", file));

    public static readonly string[] BertFiles =
        ["config.json", "model.safetensors", "pytorch_model.bin", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"];

    private static void WriteStandardRepos(string root)
    {
        var v1 = BertFiles.ToDictionary(f => f, Bert);
        v1["tf_model.h5"] = [1, 2, 3, 4];
        v1["flax_model.msgpack"] = [5, 6, 7];
        v1["onnx/model.onnx"] = Bert("reference.onnx");
        v1["README.md"] = "# tiny bert\n"u8.ToArray();
        var v2 = new Dictionary<string, byte[]>(v1) { ["config.json"] = [.. Bert("config.json"), (byte)'\n'] };
        new HubRepoBuilder(root, "org/tiny-bert").Commit("v1", v1).Commit("v2", v2).Tag("v1.0", "v1").Save();

        new HubRepoBuilder(root, "org/sharded")
            .CommitFolder("v1", Fixtures.Path("hf-tiny", "gpt2-text-generation-sharded")).Save();

        var gated = new HubRepoBuilder(root, "org/gated").Commit("v1", BertFiles.ToDictionary(f => f, Bert));
        gated.Manifest.Gated = true;
        gated.Manifest.Tokens.Add(Token);
        gated.Save();

        var priv = new HubRepoBuilder(root, "org/private").Commit("v1", BertFiles.ToDictionary(f => f, Bert));
        priv.Manifest.Private = true;
        priv.Manifest.Tokens.Add(Token);
        priv.Save();
    }

    public HubSettings Settings(bool offline = false, string? token = null) => new(Hub.Endpoint, token, offline, CacheDir);

    public HubFetcher Fetcher(bool offline = false, string? token = null) => new(new HubClient(Settings(offline, token), FastRetry));

    /// <summary>The commit sha the server gives a repo's commit folder.</summary>
    public string CommitOf(string repo, string folder) =>
        HubRepository.Load(repo, Path.Combine([ReposRoot, .. repo.Split('/')])).Commits.Values.Single(c => c.Folder == folder).Sha;

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        _dir.Dispose();
    }
}
