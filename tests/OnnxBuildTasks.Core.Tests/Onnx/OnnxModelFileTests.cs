using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Onnx;

public class OnnxModelFileTests
{
    public static TheoryData<string> ReferenceModels => new()
    {
        "bert-token-classification/reference.onnx",
        "distilbert-fill-mask/reference.onnx",
        "roberta-multiple-choice/reference.onnx",
        "gpt2-text-generation/reference.onnx",
        "gpt2-text-generation-with-past/decoder_with_past_model.onnx",
    };

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void SaveOfALoadedModelIsByteStableAndMatchesProtobufSerialization(string fixture)
    {
        using var dir = Fixtures.NewTempDir();
        var source = Fixtures.Path(["hf-tiny", .. fixture.Split('/')]);
        var model = OnnxModelFile.Load(source);
        var first = dir.Combine("first.onnx");
        var second = dir.Combine("second.onnx");

        OnnxModelFile.Save(model, first);
        OnnxModelFile.Save(OnnxModelFile.Load(first), second);

        Assert.Equal(model.ToByteArray(), File.ReadAllBytes(first));
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(model, OnnxModelFile.Load(first));
        Assert.Equal(["first.onnx", "second.onnx"], Directory.GetFiles(dir.FullPath).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void MissingAndGarbageFilesAreCodedErrors()
    {
        using var dir = Fixtures.NewTempDir();
        var missing = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Load(dir.Combine("nope.onnx")));
        Assert.Equal(ErrorCodes.ModelFileInvalid, missing.Code);
        Assert.Contains("nope.onnx", missing.Message);

        var garbage = dir.Combine("garbage.onnx");
        File.WriteAllBytes(garbage, [0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]);
        var e = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Load(garbage));
        Assert.Equal(ErrorCodes.ModelFileInvalid, e.Code);
        Assert.Contains("garbage.onnx", e.Message);
    }

    [Fact]
    public void ATruncatedModelIsACodedError()
    {
        using var dir = Fixtures.NewTempDir();
        var bytes = File.ReadAllBytes(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"));
        File.WriteAllBytes(dir.Combine("cut.onnx"), bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Load(dir.Combine("cut.onnx")));

        Assert.Equal(ErrorCodes.ModelFileInvalid, e.Code);
        Assert.Contains("cut.onnx", e.Message);
    }
}
