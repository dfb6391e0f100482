using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Commands;

public class InspectCommandTests
{
    [Fact]
    public void DescribesAnOnnxModel()
    {
        var (exit, output, error) = ToolRunner.Run("inspect", Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"));

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("IR version: 7", output);
        Assert.Contains("Producer: pytorch", output);
        Assert.Contains("Opset imports: ai.onnx 13", output);
        Assert.Matches(@"input_ids\s+int64\s+\[batch_size, sequence_length\]", output);
        Assert.Matches(@"logits\s+float32\s+\[batch_size, sequence_length, 5\]", output);
        Assert.Matches(@"MatMul\s+17", output);
        // Histogram sorted by count, most frequent first.
        var ops = output[output.IndexOf("Operators", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => int.Parse(l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).ToList();
        Assert.Equal(ops.OrderByDescending(c => c), ops);
    }

    [Fact]
    public void CountsParametersIncludingExternalData()
    {
        using var dir = Fixtures.NewTempDir();
        var model = OnnxModelFile.Load(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"));
        long parameters = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));
        long bytes = model.Graph.Initializer.Sum(t => (long)t.RawData.Length);
        OnnxModelFile.Save(model, dir.Combine("model.onnx"), new OnnxSaveOptions { ForceExternalData = true });

        var (inlineExit, inline, _) = ToolRunner.Run("inspect", Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"));
        var (externalExit, external, _) = ToolRunner.Run("inspect", dir.Combine("model.onnx"));

        Assert.Equal(0, inlineExit);
        Assert.Equal(0, externalExit);
        var expected = $"Parameters: {parameters:N0} in {model.Graph.Initializer.Count} initializers, {bytes:N0} bytes";
        Assert.Contains(expected, inline);
        Assert.Contains(expected, external);
        Assert.Contains("stored in model.onnx_data", external);
    }

    [Fact]
    public void DescribesACheckpointFolder()
    {
        var (exit, output, error) = ToolRunner.Run("inspect", Fixtures.Path("hf-tiny", "bert-token-classification"));
        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Checkpoint:", output);
        Assert.Contains("BertForTokenClassification", output);
    }

    [Fact]
    public void AMissingFileIsACodedError()
    {
        var (exit, output, error) = ToolRunner.Run("inspect", "/nonexistent/model.onnx");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("error OBT6000: ", error);
        Assert.Contains("/nonexistent/model.onnx", error);
    }

    [Fact]
    public async Task DescribesAHubRepoFromItsSafetensorsHeaderWithoutDownloadingIt()
    {
        await using var env = await ToolHubEnv.StartAsync();
        var run = await ToolRun.RunAsync(env.Dir, env.Env(), "inspect", "org/tiny-bert");
        var missing = await ToolRun.RunAsync(env.Dir, env.Env(), "inspect", "org/tiny-bert", "--revision", "nope");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Repo: org/tiny-bert@", run.Stdout);
        Assert.Contains("BertForTokenClassification", run.Stdout);
        Assert.Matches(@"bert\.embeddings\.word_embeddings\.weight\s+F32\s+\[\d+, 32\]", run.Stdout);
        long safetensors = new FileInfo(Fixtures.Path("hf-tiny", "bert-token-classification", "model.safetensors")).Length;
        Assert.True(env.Hub.BytesServed < safetensors / 4, $"{env.Hub.BytesServed} of {safetensors} bytes fetched");
        Assert.False(Directory.Exists(env.CacheDir), "nothing is downloaded into the cache");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error OBT2004:", missing.Stderr);
    }
}
