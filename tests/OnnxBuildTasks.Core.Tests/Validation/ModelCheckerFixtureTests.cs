using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class ModelCheckerFixtureTests
{
    [Theory]
    [InlineData("bert-token-classification", "reference.onnx")]
    [InlineData("distilbert-fill-mask", "reference.onnx")]
    [InlineData("roberta-multiple-choice", "reference.onnx")]
    [InlineData("gpt2-text-generation", "reference.onnx")]
    [InlineData("gpt2-text-generation-with-past", "decoder_model.onnx")]
    [InlineData("gpt2-text-generation-with-past", "decoder_with_past_model.onnx")]
    public void ExportsWrittenByTorchHaveNoFindings(string fixture, string file)
    {
        var path = Fixtures.Path("hf-tiny", fixture, file);
        var findings = ModelChecker.Check(OnnxModelFile.Load(path), Path.GetDirectoryName(path));
        Assert.Empty(findings);
    }
}
