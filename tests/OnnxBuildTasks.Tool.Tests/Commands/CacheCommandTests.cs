namespace OnnxBuildTasks.Tests.Commands;

public class CacheCommandTests
{
    [Fact]
    public async Task ListVerifyAndPrune()
    {
        await using var env = await ToolHubEnv.StartAsync();
        Assert.Equal(0, (await ToolRun.RunAsync(env.Dir, env.Env(), "download", "org/big", "--include", "*")).ExitCode);

        var list = await ToolRun.RunAsync(env.Dir, env.Env(), "cache", "list");
        Assert.Contains("org/big  2 blobs", list.Stdout);
        Assert.Contains("ref main -> ", list.Stdout);
        Assert.Equal(0, (await ToolRun.RunAsync(env.Dir, env.Env(), "cache", "verify")).ExitCode);

        var blobs = Path.Combine(env.CacheDir, "models--org--big", "blobs");
        var big = Directory.GetFiles(blobs).Single(b => new FileInfo(b).Length == env.Big.Length);
        var bytes = File.ReadAllBytes(big);
        bytes[0] ^= 1;
        File.WriteAllBytes(big, bytes);
        var verify = await ToolRun.RunAsync(env.Dir, env.Env(), "cache", "verify");
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains(big, verify.Stdout);
        Assert.Contains("error OBT2010:", verify.Stderr);

        var orphan = Path.Combine(blobs, new string('a', 64));
        File.WriteAllText(orphan, "nobody links here");
        var prune = await ToolRun.RunAsync(env.Dir, env.Env(), "cache", "prune");
        Assert.Equal(0, prune.ExitCode);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(big));
    }
}
