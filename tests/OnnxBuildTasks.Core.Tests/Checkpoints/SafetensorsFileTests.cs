using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class SafetensorsFileTests
{
    [Fact]
    public void ReadsFixtureHeaderMetadataAndTensors()
    {
        using var file = SafetensorsFile.Open(Fixtures.Path("hf-tiny", "bert-fill-mask", "model.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        var positions = file.Tensors["bert.embeddings.position_ids"];
        Assert.Equal(TensorDType.I64, positions.DType);
        Assert.Equal([1L, 64L], positions.Shape);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), positions.ToInt64());
        var words = file.Tensors["bert.embeddings.word_embeddings.weight"];
        Assert.Equal(TensorDType.F32, words.DType);
        Assert.Equal([320L, 32L], words.Shape);
        Assert.Equal(320 * 32 * 4, words.ByteLength);
        Assert.Equal(words.ByteLength, words.Bytes.Length);
        Assert.False(file.Tensors.ContainsKey("cls.predictions.decoder.weight"));
    }
}
