using System.Text.Json;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class CheckpointTests
{
    public static TheoryData<string> FixturesWithBothFormats()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Fixtures.Path("hf-tiny")).Order(StringComparer.Ordinal))
        {
            bool safetensors = Directory.EnumerateFiles(dir, "model*.safetensors*").Any();
            bool bin = Directory.EnumerateFiles(dir, "pytorch_model*.bin*").Any();
            if (safetensors && bin) data.Add(Path.GetFileName(dir));
        }
        return data;
    }

    [Fact]
    public void EveryCopiedFixtureIsCovered() =>
        Assert.True(FixturesWithBothFormats().Count >= 79, "expected every hf-tiny fixture except the bin-only one");

    [Theory]
    [MemberData(nameof(FixturesWithBothFormats))]
    public void SafetensorsAndBinYieldTheSameTensorsBitForBit(string fixture)
    {
        string folder = Fixtures.Path("hf-tiny", fixture);
        using var st = Checkpoint.Open(folder, CheckpointFormat.Safetensors);
        using var bin = Checkpoint.Open(folder, CheckpointFormat.PyTorch);
        Assert.Equal(CheckpointFormat.Safetensors, st.Format);
        Assert.Equal(CheckpointFormat.PyTorch, bin.Format);
        // The .bin keeps most tied duplicates as shared storages, but classes with _keys_to_ignore_on_save
        // (RoBERTa/XLM-R masked LM, GPT-Neo causal LM) drop them there too; whatever the .bin lacks, the
        // safetensors file lacks as well, and both resolve it to the same source.
        Assert.All(bin.TiedSources, tie => Assert.Equal(tie.Value, st.TiedSources[tie.Key]));
        Assert.Equal(bin.TensorNames.Order(StringComparer.Ordinal), st.TensorNames.Order(StringComparer.Ordinal));
        foreach (string name in bin.TensorNames)
        {
            var a = st.GetTensor(name);
            var b = bin.GetTensor(name);
            Assert.Equal(b.DType, a.DType);
            Assert.Equal(b.Shape, a.Shape);
            Assert.True(a.Bytes.SequenceEqual(b.Bytes), $"{fixture}: bytes of '{name}' differ");
        }
    }

    [Theory]
    [MemberData(nameof(FixturesWithBothFormats))]
    public void DroppedTiedNamesFromTheManifestResolve(string fixture)
    {
        string folder = Fixtures.Path("hf-tiny", fixture);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        const string marker = "model.safetensors omits tied duplicates (as save_pretrained does): ";
        var dropped = manifest.RootElement.GetProperty("notes").EnumerateArray()
            .Select(n => n.GetString() ?? "").Where(n => n.StartsWith(marker, StringComparison.Ordinal))
            .SelectMany(n => n[marker.Length..].Split(", ")).ToList();
        using var ckpt = Checkpoint.Open(folder);
        using var files = ckpt.Files.Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal))
            .Select(f => SafetensorsFile.Open(Path.Combine(folder, f))).ToDisposableList();
        Assert.Equal(dropped.Order(StringComparer.Ordinal), ckpt.TiedSources.Keys.Order(StringComparer.Ordinal));
        foreach (string name in dropped)
        {
            Assert.DoesNotContain(files.Items, f => f.Tensors.ContainsKey(name));
            Assert.True(ckpt.TryGetTensor(name, out var tensor), $"{fixture}: tied '{name}' not resolved");
            Assert.Equal(name, tensor.Name);
        }
    }

    [Fact]
    public void AutoPrefersSafetensorsAndReportsFiles()
    {
        using var ckpt = Checkpoint.Open(Fixtures.Path("hf-tiny", "gpt2-text-generation-sharded"));
        Assert.Equal(CheckpointFormat.Safetensors, ckpt.Format);
        Assert.Equal(["model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
            ckpt.Files.OrderBy(f => f.Contains("index") ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal));
        Assert.True(ckpt.TryGetTensor("lm_head.weight", out var head));
        Assert.True(head.Bytes.SequenceEqual(ckpt.GetTensor("transformer.wte.weight").Bytes));
    }

    [Fact]
    public void BinOnlyFixtureOpensAsPyTorch()
    {
        using var ckpt = Checkpoint.Open(Fixtures.Path("hf-tiny", "roberta-feature-extraction-bin-only"));
        Assert.Equal(CheckpointFormat.PyTorch, ckpt.Format);
        Assert.Equal(["pytorch_model.bin"], ckpt.Files);
        var positions = ckpt.GetTensor("embeddings.position_ids");
        Assert.Equal(Enumerable.Range(0, positions.Shape[^1] > 0 ? (int)positions.Shape[^1] : 0).Select(i => (long)i), positions.ToInt64());
        var e = Assert.Throws<OnnxBuildException>(() => Checkpoint.Open(Fixtures.Path("hf-tiny", "roberta-feature-extraction-bin-only"), CheckpointFormat.Safetensors));
        Assert.Equal(ErrorCodes.CheckpointNotFound, e.Code);
    }

    [Fact]
    public void HalfPrecisionVariantsUpcastToTheFloat32Weights()
    {
        using var fp32 = Checkpoint.Open(Fixtures.Path("hf-tiny", "bert-feature-extraction"));
        foreach (var (fixture, dtype, tolerance) in new[] { ("bert-feature-extraction-fp16", TensorDType.F16, 1e-3), ("bert-feature-extraction-bf16", TensorDType.BF16, 1e-2) })
        {
            using var half = Checkpoint.Open(Fixtures.Path("hf-tiny", fixture));
            var weight = half.GetTensor("encoder.layer.0.attention.self.query.weight");
            Assert.Equal(dtype, weight.DType);
            Assert.Equal(weight.ElementCount * 2, weight.ByteLength);
            float[] values = weight.ToFloat32();
            Assert.Contains(values, v => v != 0);
            Assert.All(values, v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 10));
        }
    }

    [Fact]
    public void MissingWeightNamesTheWeightAndFolder()
    {
        string folder = Fixtures.Path("hf-tiny", "bert-feature-extraction");
        using var ckpt = Checkpoint.Open(folder);
        Assert.False(ckpt.TryGetTensor("cls.predictions.decoder.weight", out _)); // BertModel has no head: nothing to tie
        var e = Assert.Throws<OnnxBuildException>(() => ckpt.GetTensor("no.such.weight"));
        Assert.Equal(ErrorCodes.WeightMissing, e.Code);
        Assert.Contains("no.such.weight", e.Message);
        Assert.Contains(folder, e.Message);
    }

    [Fact]
    public void UntiedConfigDoesNotResolveTheHead()
    {
        using var dir = Fixtures.NewTempDir();
        string source = Fixtures.Path("hf-tiny", "gpt2-text-generation");
        File.Copy(Path.Combine(source, "model.safetensors"), dir.Combine("model.safetensors"));
        string config = File.ReadAllText(Path.Combine(source, "config.json")).Replace("\"model_type\"", "\"tie_word_embeddings\": false, \"model_type\"");
        File.WriteAllText(dir.Combine("config.json"), config);
        using var ckpt = Checkpoint.Open(dir.FullPath);
        Assert.False(ckpt.TryGetTensor("lm_head.weight", out _));
        Assert.True(ckpt.TryGetTensor("transformer.wte.weight", out _));
    }
}

internal static class DisposableListExtensions
{
    public static DisposableList<T> ToDisposableList<T>(this IEnumerable<T> items) where T : IDisposable => new([.. items]);
}

internal sealed class DisposableList<T>(List<T> items) : IDisposable where T : IDisposable
{
    public List<T> Items { get; } = items;

    public void Dispose()
    {
        foreach (var item in Items) item.Dispose();
    }
}
