using System.Diagnostics;
using OnnxBuildTasks.HubServer;

namespace OnnxBuildTasks.Tests.Commands;

/// <summary>Runs the built dotnet-onnx in its own process with a controlled environment.</summary>
internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;

    public static ProcessStartInfo StartInfo(string workDir, IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-onnx.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var k in new[] { "HF_TOKEN", "HF_HOME", "HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_HUB_CACHE" }) psi.Environment.Remove(k);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    public static async Task<ToolRun> RunAsync(string workDir, IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        using var p = Process.Start(StartInfo(workDir, env, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new ToolRun(p.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A local Hub with a bert checkpoint (org/tiny-bert), a private and a gated copy, and a 3 MB LFS file (org/big).</summary>
internal sealed class ToolHubEnv : IAsyncDisposable
{
    public const string Token = "hf_TOOLSECRET_8d1e7a0b";
    private readonly TempDir _dir;

    private ToolHubEnv(TempDir dir, LocalHub hub, byte[] big)
    {
        _dir = dir;
        Hub = hub;
        Big = big;
    }

    public LocalHub Hub { get; }

    public byte[] Big { get; }

    public string Dir => _dir.FullPath;

    public string CacheDir => _dir.Combine("hf-cache");

    public static async Task<ToolHubEnv> StartAsync()
    {
        var dir = Fixtures.NewTempDir();
        var root = dir.Combine("repos");
        var bert = Fixtures.Path("hf-tiny", "bert-token-classification");
        var files = new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" }
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(bert, f)));
        files["onnx/model.onnx"] = File.ReadAllBytes(Path.Combine(bert, "reference.onnx"));
        new HubRepoBuilder(root, "org/tiny-bert").Commit("v1", files).Save();
        foreach (var (id, gated) in new[] { ("org/private", false), ("org/gated", true) })
        {
            var b = new HubRepoBuilder(root, id).Commit("v1", files);
            b.Manifest.Private = !gated;
            b.Manifest.Gated = gated;
            b.Manifest.Tokens.Add(Token);
            b.Save();
        }
        var big = new byte[3_000_000];
        new Random(7).NextBytes(big);
        new HubRepoBuilder(root, "org/big").Commit("v1", new Dictionary<string, byte[]> { ["model.onnx"] = big, ["config.json"] = "{}"u8.ToArray() }).Save();
        return new ToolHubEnv(dir, await LocalHub.StartAsync(root), big);
    }

    public Dictionary<string, string?> Env(string? token = null) => new()
    {
        ["HF_ENDPOINT"] = Hub.Endpoint.ToString(), ["HF_HUB_CACHE"] = CacheDir, ["HF_HOME"] = _dir.Combine("hf-home"), ["HF_TOKEN"] = token,
    };

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        _dir.Dispose();
    }
}
