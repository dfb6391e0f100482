using System.Diagnostics;

namespace OnnxBuildTasks.Tests.Commands;

public class DownloadCommandTests
{
    [Fact]
    public async Task ConcurrentProcessesProduceOneVerifiedBlob()
    {
        await using var env = await ToolHubEnv.StartAsync();
        env.Hub.Faults.ThrottleBytesPerSecond = 6_000_000;   // ~0.5 s per download, so the processes overlap
        var processes = Enumerable.Range(0, 3)
            .Select(_ => Process.Start(ToolRun.StartInfo(env.Dir, env.Env(), "download", "org/big", "--include", "model.onnx"))!)
            .ToList();
        var outputs = await Task.WhenAll(processes.Select(async p =>
        {
            var o = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (p.ExitCode, o);
        }));

        Assert.All(outputs, o => Assert.True(o.ExitCode == 0, o.o));
        Assert.Equal(1, env.Hub.CdnRequestCount);
        var blobs = Directory.GetFiles(Path.Combine(env.CacheDir, "models--org--big", "blobs"));
        Assert.Equal(env.Big, File.ReadAllBytes(Assert.Single(blobs)));
    }

    [Fact]
    public async Task IncludeTakesMatchingFilesAndPrintsThem()
    {
        await using var env = await ToolHubEnv.StartAsync();
        var run = await ToolRun.RunAsync(env.Dir, env.Env(), "download", "org/tiny-bert", "--include", "*.json", "--include", "onnx/*");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("onnx/model.onnx", run.Stdout);
        Assert.Contains("tokenizer_config.json", run.Stdout);
        Assert.DoesNotContain("vocab.txt", run.Stdout);
        Assert.DoesNotContain("\r", run.Stderr);   // no progress display when not on a terminal
    }

    [Fact]
    public async Task TokenIsNeverPrinted()
    {
        await using var env = await ToolHubEnv.StartAsync();
        var ok = await ToolRun.RunAsync(env.Dir, env.Env(ToolHubEnv.Token), "download", "org/private");
        var gated = await ToolRun.RunAsync(env.Dir, env.Env("hf_WRONGTOKEN_123"), "download", "org/gated");
        var missing = await ToolRun.RunAsync(env.Dir, env.Env(ToolHubEnv.Token), "download", "org/private", "--revision", "nope");
        var offline = await ToolRun.RunAsync(env.Dir, env.Env(ToolHubEnv.Token), "download", "org/gated", "--offline");

        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(0, env.Hub.CdnAuthorizationCount);
        Assert.Contains("error OBT2002:", gated.Stderr);
        Assert.Contains("error OBT2004:", missing.Stderr);
        Assert.Contains("error OBT2011:", offline.Stderr);
        foreach (var run in new[] { ok, gated, missing, offline })
        {
            Assert.DoesNotContain(ToolHubEnv.Token, run.All);
            Assert.DoesNotContain("hf_WRONGTOKEN_123", run.All);
        }
        Assert.NotEqual(0, gated.ExitCode);
    }
}
