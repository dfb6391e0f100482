using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class CheckpointFilesTests
{
    [Fact]
    public void PrefersSafetensorsAndSkipsOtherFrameworks()
    {
        var s = CheckpointFiles.Select(["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5", "flax_model.msgpack",
            "onnx/model.onnx", "rust_model.ot", "tokenizer.json", "README.md", "vocab.txt"])!;
        Assert.Equal(["config.json", "model.safetensors", "tokenizer.json", "vocab.txt"], s.Files);
        Assert.Null(s.Index);
    }

    [Fact]
    public void FallsBackToShardedPytorchWeights()
    {
        var s = CheckpointFiles.Select(["config.json", "pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin", "merges.txt"])!;
        Assert.Equal(["config.json", "pytorch_model.bin.index.json", "merges.txt"], s.Files);
        Assert.Equal("pytorch_model.bin.index.json", s.Index);
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("config.json", "tf_model.h5")]
    public void NoCheckpointWithoutConfigAndWeights(params string[] files) => Assert.Null(CheckpointFiles.Select(files));

    [Fact]
    public void ShardsComeFromTheIndex()
    {
        var index = Fixtures.Path("hf-tiny", "gpt2-text-generation-sharded", "model.safetensors.index.json");
        Assert.Equal(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], CheckpointFiles.ShardsOf(index, "model.safetensors.index.json"));
    }

    [Fact]
    public void ShardNamesLeavingTheFolderAreRefused()
    {
        using var dir = Fixtures.NewTempDir();
        File.WriteAllText(dir.Combine("i.json"), """{"weight_map":{"a":"../../evil.safetensors"}}""");
        Assert.Throws<Diagnostics.OnnxBuildException>(() => CheckpointFiles.ShardsOf(dir.Combine("i.json"), "i.json"));
    }
}
