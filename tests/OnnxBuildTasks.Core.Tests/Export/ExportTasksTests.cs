using OnnxBuildTasks.Export.Tasks;

namespace OnnxBuildTasks.Tests.Export;

public class ExportTasksTests
{
    [Theory]
    [InlineData("text-classification", "text-classification")]
    [InlineData("Sequence-Classification", "text-classification")]
    [InlineData("masked-lm", "fill-mask")]
    [InlineData("default", "feature-extraction")]
    [InlineData(" question-answering ", "question-answering")]
    [InlineData("ner", "token-classification")]
    [InlineData("text-generation", null)]
    [InlineData("nonsense", null)]
    public void NormalizesOptimumAndTransformersOnnxTaskNames(string given, string? expected) =>
        Assert.Equal(expected, ExportTasks.Normalize(given));
}
