using System.IO.Compression;
using OnnxBuildTasks.Checkpoints;
using static OnnxBuildTasks.Tests.Checkpoints.TestCheckpoints;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class TorchZipCheckpointTests
{
    private static readonly byte[] SixFloats = Floats(0, 1, 2, 3, 4, 5);

    private static Checkpoint OpenBin(TempDir dir, byte[] pickle, CompressionLevel level = CompressionLevel.NoCompression)
    {
        File.WriteAllText(dir.Combine("config.json"), MinimalConfig);
        WriteArchive(dir.Combine("pytorch_model.bin"), pickle, new Dictionary<string, byte[]> { ["0"] = SixFloats }, level: level);
        return Checkpoint.Open(dir.FullPath);
    }

    [Fact]
    public void TransposedViewIsMaterialisedRowMajor()
    {
        using var dir = Fixtures.NewTempDir();
        // storage [0..5] seen as a 3x2 transpose of the 2x3 matrix [[0,1,2],[3,4,5]]
        using var ckpt = OpenBin(dir, StateDict(("t", p => p.Tensor("FloatStorage", "0", 6, 0, [3, 2], [1, 3]))));
        var t = ckpt.GetTensor("t");
        Assert.Equal([3L, 2L], t.Shape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], t.ToFloat32());
    }

    [Fact]
    public void SharedStorageWithOffsetsAndExpandedView()
    {
        using var dir = Fixtures.NewTempDir();
        using var ckpt = OpenBin(dir, StateDict(
            ("head", p => p.Tensor("FloatStorage", "0", 6, 2, [2, 2], [2, 1])),
            ("all", p => p.Tensor("FloatStorage", "0", 6, 0, [6], [1])),
            ("row", p => p.Tensor("FloatStorage", "0", 6, 4, [3, 2], [0, 1]))));
        Assert.Equal([2f, 3f, 4f, 5f], ckpt.GetTensor("head").ToFloat32());
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], ckpt.GetTensor("all").ToFloat32());
        Assert.Equal([4f, 5f, 4f, 5f, 4f, 5f], ckpt.GetTensor("row").ToFloat32());
    }

    [Fact]
    public void DeflatedEntriesAndParametersAreRead()
    {
        using var dir = Fixtures.NewTempDir();
        var pickle = StateDict(("p", p => p.Global("torch._utils", "_rebuild_parameter")
            .Tuple(q => q.Tensor("FloatStorage", "0", 6, 0, [2, 3], [3, 1]), q => q.False(), q => q.OrderedDict()).Reduce()));
        using var ckpt = OpenBin(dir, pickle, CompressionLevel.Optimal);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], ckpt.GetTensor("p").ToFloat32());
    }

    [Fact]
    public void OrderedDictMetadataStateIsAccepted()
    {
        using var dir = Fixtures.NewTempDir();
        // OrderedDict() {name: tensor} then BUILD {'_metadata': OrderedDict()} as torch.save writes a state dict with _metadata.
        var p = new Pickle().Proto().OrderedDict().Mark().Str("w").Tensor("FloatStorage", "0", 6, 0, [6], [1]).Op('u')
            .EmptyDict().Str("_metadata").OrderedDict().Op('s').Op('b').Stop();
        using var ckpt = OpenBin(dir, p.ToArray());
        Assert.Equal(6, ckpt.GetTensor("w").ElementCount);
    }

    [Fact]
    public void Zip64ArchiveIsRead()
    {
        using var dir = Fixtures.NewTempDir();
        var pickle = StateDict(("w", p => p.Tensor("FloatStorage", "0", 6, 0, [2, 3], [3, 1])));
        File.WriteAllText(dir.Combine("config.json"), MinimalConfig);
        File.WriteAllBytes(dir.Combine("pytorch_model.bin"), Zip64([("big/data.pkl", pickle), ("big/byteorder", "little"u8.ToArray()), ("big/data/0", SixFloats)]));
        using var ckpt = Checkpoint.Open(dir.FullPath);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], ckpt.GetTensor("w").ToFloat32());
    }

    [Fact]
    public void StoredFixtureEntriesAreZeroCopy()
    {
        // The same tensor read twice gives spans over the same mapped memory (no copy).
        using var ckpt = Checkpoint.Open(Fixtures.Path("hf-tiny", "bert-fill-mask"), CheckpointFormat.PyTorch);
        var a = ckpt.GetTensor("bert.embeddings.word_embeddings.weight");
        var b = ckpt.GetTensor("cls.predictions.decoder.weight"); // shared storage in the .bin
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a.Bytes),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b.Bytes)));
    }
}
