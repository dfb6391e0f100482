using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class CheckpointInspectorTests
{
    [Fact]
    public void DescribesArchitectureConfigTensorsAndTotals()
    {
        var output = new StringWriter();
        CheckpointInspector.Describe(Fixtures.Path("hf-tiny", "gpt2-text-generation"), output);
        string text = output.ToString();
        Assert.Contains("Format: Safetensors (model.safetensors)", text);
        Assert.Contains("Model type: gpt2", text);
        Assert.Contains("Architectures: GPT2LMHeadModel", text);
        Assert.Contains("hidden_size=32", text);
        Assert.Contains("num_hidden_layers=2", text);
        Assert.Contains("intermediate_size=128", text);
        Assert.Matches(@"transformer\.wte\.weight\s+F32\s+\[707, 32\]", text);
        Assert.Matches(@"lm_head\.weight\s+F32\s+\[707, 32\]\s+\(tied to transformer\.wte\.weight\)", text);

        // totals: every stored tensor once (tied heads not counted twice), computed independently from the file
        using var file = SafetensorsFile.Open(Fixtures.Path("hf-tiny", "gpt2-text-generation", "model.safetensors"));
        long parameters = file.Tensors.Values.Sum(t => t.ElementCount);
        long bytes = file.Tensors.Values.Sum(t => t.ByteLength);
        Assert.Contains($"Total: {parameters:N0} parameters, {bytes:N0} bytes", text);
        int listed = text.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal));
        Assert.Equal(file.Tensors.Count + 1, listed);
    }

    [Fact]
    public void BinWithSharedStoragesCountsThemOnce()
    {
        // bert-fill-mask's .bin stores the MLM decoder weight as the word embeddings' storage; the safetensors file drops it.
        using var dir = Fixtures.NewTempDir();
        foreach (string f in new[] { "config.json", "pytorch_model.bin" })
            File.Copy(Fixtures.Path("hf-tiny", "bert-fill-mask", f), dir.Combine(f));
        var fromBin = new StringWriter();
        CheckpointInspector.Describe(dir.FullPath, fromBin);
        var fromSafetensors = new StringWriter();
        CheckpointInspector.Describe(Fixtures.Path("hf-tiny", "bert-fill-mask"), fromSafetensors);
        static string Total(string text) => text.Split('\n').Single(l => l.StartsWith("Total:", StringComparison.Ordinal));
        Assert.Contains("Format: PyTorch (pytorch_model.bin)", fromBin.ToString());
        Assert.Equal(Total(fromSafetensors.ToString()), Total(fromBin.ToString()));
    }

    [Fact]
    public void ConfigWithoutPositionsStillDescribes()
    {
        var output = new StringWriter();
        CheckpointInspector.Describe(Fixtures.Path("hf-tiny", "t5-text2text-generation"), output);
        Assert.Contains("Model type: t5", output.ToString());
        Assert.DoesNotContain("max_position_embeddings", output.ToString());
    }

    [Fact]
    public void UnreadableFolderThrowsItsCode()
    {
        using var dir = Fixtures.NewTempDir();
        var e = Assert.Throws<OnnxBuildException>(() => CheckpointInspector.Describe(dir.Combine("missing"), new StringWriter()));
        Assert.Equal(ErrorCodes.CheckpointNotFound, e.Code);
    }
}
