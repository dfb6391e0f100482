using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class CheckpointTensorTests
{
    [Fact]
    public void BytesStayValidAfterReleasePagesAndCopyToStreamsThem()
    {
        using var dir = Fixtures.NewTempDir();
        var values = Enumerable.Range(0, 3 << 20).Select(i => (float)i).ToArray(); // 12 MB: several pages and a populate-sized range
        SafetensorsWriter.Write(dir.Combine("model.safetensors"), [SafetensorsTensorSpec.FromFloats("w", [3, 1 << 20], values)]);
        File.WriteAllText(dir.Combine("config.json"), "{}");
        using var ckpt = Checkpoint.Open(dir.FullPath);
        var t = ckpt.GetTensor("w");
        byte[] before = t.Bytes.ToArray();
        t.ReleasePages();
        Assert.True(t.Bytes.SequenceEqual(before));
        using var copy = new MemoryStream();
        t.CopyTo(copy);
        Assert.Equal(before, copy.ToArray());
        Assert.Equal(values, t.ToFloat32());
    }

    [Fact]
    public void ConversionsCheckTheDType()
    {
        using var ckpt = Checkpoint.Open(Fixtures.Path("hf-tiny", "bert-feature-extraction"));
        Assert.Equal(ErrorCodes.TensorConversionInvalid, Assert.Throws<OnnxBuildException>(() => ckpt.GetTensor("embeddings.position_ids").ToFloat32()).Code);
        Assert.Equal(ErrorCodes.TensorConversionInvalid, Assert.Throws<OnnxBuildException>(() => ckpt.GetTensor("embeddings.word_embeddings.weight").ToInt64()).Code);
    }

    [Fact]
    public void TensorOver2GBRefusesASpanButKeepsItsSize()
    {
        using var dir = Fixtures.NewTempDir();
        // A sparse file: the header of a 2^31 + 4 byte tensor, then a hole. Nothing is read.
        long length = (1L << 31) + 4;
        string header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + length + "],\"data_offsets\":[0," + length + "]}}";
        var bytes = TestCheckpoints.Safetensors(header, []);
        using (var file = File.Create(dir.Combine("model.safetensors")))
        {
            file.Write(bytes);
            file.SetLength(bytes.Length + length);
        }
        File.WriteAllText(dir.Combine("config.json"), "{}");
        using var ckpt = Checkpoint.Open(dir.FullPath);
        var big = ckpt.GetTensor("big");
        Assert.Equal(length, big.ByteLength);
        var e = Assert.Throws<OnnxBuildException>(() => big.Bytes.Length);
        Assert.Equal(ErrorCodes.TensorTooLarge, e.Code);
        Assert.Contains("CopyTo", e.Message);
    }
}
