using System.Buffers.Binary;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.HubServer;

namespace OnnxBuildTasks.Tests.Hub;

public class RemoteCheckpointInspectorTests
{
    [Fact]
    public async Task OnlyConfigAndTheSafetensorsHeaderAreFetchedAndTheTensorsMatchTheLocalDescription()
    {
        await using var env = await HubTestEnv.StartAsync();
        string remote = await DescribeAsync(env, "org/tiny-bert");
        string local = DescribeLocal(Fixtures.Path("hf-tiny", "bert-token-classification"));

        Assert.Contains($"Repo: org/tiny-bert@{env.CommitOf("org/tiny-bert", "v2")}", remote);
        Assert.Equal(Section(local, "Config:"), Section(remote, "Config:"));
        Assert.Equal(TensorLines(local), TensorLines(remote));
        Assert.Equal(Section(local, "Total:"), Section(remote, "Total:"));

        // config.json (main has v2's, one byte longer), the 8-byte length and the header: nothing of the data.
        var safetensors = HubTestEnv.Bert("model.safetensors");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(safetensors);
        Assert.Equal(HubTestEnv.Bert("config.json").Length + 1 + 8 + headerLength, env.Hub.BytesServed);
        Assert.Contains(env.Hub.RequestLog, l => l.EndsWith("/model.safetensors Range: bytes=0-7", StringComparison.Ordinal));
        Assert.Contains(env.Hub.RequestLog, l => l.EndsWith($"/model.safetensors Range: bytes=8-{8 + headerLength - 1}", StringComparison.Ordinal));
        Assert.False(Directory.Exists(env.CacheDir) && Directory.EnumerateFileSystemEntries(env.CacheDir).Any(), "remote inspection writes nothing to the cache");
    }

    [Fact]
    public async Task ShardedCheckpointsListEveryShardsTensors()
    {
        await using var env = await HubTestEnv.StartAsync();
        string remote = await DescribeAsync(env, "org/sharded");
        string local = DescribeLocal(Fixtures.Path("hf-tiny", "gpt2-text-generation-sharded"));

        Assert.Contains("model-00001-of-", remote);
        // The local view adds tied weights (lm_head.weight) that no file holds; the rest is the same.
        Assert.Equal(TensorLines(local).Where(l => !l.Contains("(tied to", StringComparison.Ordinal)), TensorLines(remote));
        Assert.Equal(Section(local, "Total:").Split(", shared")[0], Section(remote, "Total:"));
    }

    [Fact]
    public async Task AServerIgnoringRangeStillGivesTheHeader()
    {
        await using var env = await HubTestEnv.StartAsync();
        env.Hub.Faults.IgnoreRange = true;
        string remote = await DescribeAsync(env, "org/tiny-bert");
        Assert.Equal(TensorLines(DescribeLocal(Fixtures.Path("hf-tiny", "bert-token-classification"))), TensorLines(remote));
    }

    [Fact]
    public async Task BinOnlyRepoIsACodedErrorSayingToDownload()
    {
        await using var env = await HubTestEnv.StartAsync(root => new HubRepoBuilder(root, "org/bin-only")
            .Commit("v1", new Dictionary<string, byte[]> { ["config.json"] = HubTestEnv.Bert("config.json"), ["pytorch_model.bin"] = HubTestEnv.Bert("pytorch_model.bin") })
            .Save());
        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => DescribeAsync(env, "org/bin-only"));
        Assert.Equal(ErrorCodes.CheckpointNotFound, e.Code);
        Assert.Contains("dotnet onnx download org/bin-only", e.Message);
    }

    public static TheoryData<string, string> BadHeaders => new()
    {
        { "huge-length", ErrorCodes.SafetensorsHeaderInvalid },
        { "length-past-end", ErrorCodes.SafetensorsHeaderInvalid },
        { "short-file", ErrorCodes.SafetensorsHeaderInvalid },
        { "offsets-past-end", ErrorCodes.SafetensorsDataInvalid },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task DefectiveHeadersAreTheSameCodedErrorsAsLocally(string defect, string code)
    {
        var good = HubTestEnv.Bert("model.safetensors");
        byte[] bad = defect switch
        {
            "huge-length" => [.. BitConverter.GetBytes(long.MaxValue), .. good[8..]],
            "length-past-end" => [.. BitConverter.GetBytes((long)good.Length), .. good[8..]],
            "short-file" => good[..5],
            _ => good[..^4],   // the last tensor's data_offsets now run past the end
        };
        await using var env = await HubTestEnv.StartAsync(root => new HubRepoBuilder(root, "org/bad")
            .Commit("v1", new Dictionary<string, byte[]> { ["config.json"] = HubTestEnv.Bert("config.json"), ["model.safetensors"] = bad })
            .Save());
        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => DescribeAsync(env, "org/bad"));
        Assert.Equal(code, e.Code);
        Assert.Contains("org/bad@", e.Message);
        Assert.True(env.Hub.BytesServed < 64 * 1024, $"{env.Hub.BytesServed} bytes fetched for a header check");
    }

    private static async Task<string> DescribeAsync(HubTestEnv env, string repo)
    {
        using var client = new HubClient(env.Settings(), HubTestEnv.FastRetry);
        var output = new StringWriter();
        await RemoteCheckpointInspector.DescribeAsync(client, repo, "main", output);
        return output.ToString();
    }

    private static string DescribeLocal(string folder)
    {
        var output = new StringWriter();
        CheckpointInspector.Describe(folder, output);
        return output.ToString();
    }

    private static string Section(string text, string prefix) =>
        text.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).TrimEnd();

    private static List<string> TensorLines(string text) =>
        text.Split('\n').SkipWhile(l => !l.StartsWith("Tensors (", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
}
