using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Tests.Pipeline;

public class ModelRequestTests
{
    private static ModelRequest Parse(string spec, params (string Key, string? Value)[] metadata) =>
        ModelRequest.Parse(spec, "/proj", metadata.ToDictionary(m => m.Key, m => m.Value));

    [Fact]
    public void DefaultsApplyWhenMetadataIsEmpty()
    {
        var r = Parse("models/sentiment.onnx", ("Opset", ""), ("Validate", " "));
        Assert.Equal("sentiment", r.Name);
        Assert.Null(r.Opset);
        Assert.True(r.Validate);
        Assert.True(r.IncludeTokenizer);
        Assert.Equal(ModelPrecision.Fp32, r.Precision);
        Assert.Equal(GraphOptimization.None, r.Optimize);
        Assert.Equal(QuantizeMode.None, r.Quantize);
        Assert.Equal(Path.GetFullPath("/proj/models/sentiment.onnx"), r.LocalPath);
    }

    [Fact]
    public void ParsesEveryMetadataCaseInsensitively()
    {
        var r = Parse("org/repo", ("task", "Text-Classification"), ("OPSET", "17"), ("Revision", "v1"), ("File", "onnx/model.onnx"),
            ("Name", "clf"), ("Validate", "false"), ("Atol", "1e-3"), ("Precision", "FP16"), ("Optimize", "extended"),
            ("Quantize", "dynamic"), ("IncludeTokenizer", "False"));
        Assert.Equal(("text-classification", 17, "v1", "onnx/model.onnx", "clf", false, 1e-3), (r.Task, r.Opset, r.Revision, r.File, r.Name, r.Validate, r.Atol));
        Assert.Equal((ModelPrecision.Fp16, GraphOptimization.Extended, QuantizeMode.Dynamic, false), (r.Precision, r.Optimize, r.Quantize, r.IncludeTokenizer));
    }

    [Theory]
    [InlineData("models/sentiment.onnx", null, "sentiment")]
    [InlineData("models/my-bert/", null, "my-bert")]
    [InlineData("Xenova/all-MiniLM-L6-v2", "onnx/model.onnx", "all-MiniLM-L6-v2")]
    [InlineData("nuget:SomeCompany.Models/1.2.0", "models/model.onnx", "SomeCompany.Models")]
    [InlineData(@"models\legacy.ONNX", null, "legacy")]
    public void DefaultNameIsTheLastSegment(string spec, string? file, string expected) =>
        Assert.Equal(expected, ModelRequest.DefaultName(spec, file));

    [Theory]
    [InlineData("Opset", "seventeen", ErrorCodes.OpsetInvalid)]
    [InlineData("Opset", "0", ErrorCodes.OpsetInvalid)]
    [InlineData("Opset", "-3", ErrorCodes.OpsetInvalid)]
    [InlineData("Precision", "int4", ErrorCodes.PrecisionUnknown)]
    [InlineData("Optimize", "max", ErrorCodes.OptimizeUnknown)]
    [InlineData("Quantize", "static", ErrorCodes.QuantizeUnknown)]
    [InlineData("Atol", "0", ErrorCodes.AtolInvalid)]
    [InlineData("Atol", "abc", ErrorCodes.AtolInvalid)]
    [InlineData("Validate", "yes", ErrorCodes.BooleanMetadataInvalid)]
    [InlineData("IncludeTokenizer", "1", ErrorCodes.BooleanMetadataInvalid)]
    [InlineData("Task", "summarise", ErrorCodes.TaskUnknown)]
    [InlineData("Name", "a/b", ErrorCodes.NameInvalid)]
    [InlineData("Name", "..", ErrorCodes.NameInvalid)]
    public void BadMetadataFailsWithItsCodeNamingTheItemAndValue(string key, string value, string code)
    {
        var e = Assert.Throws<OnnxBuildException>(() => Parse("models/x.onnx", (key, value)));
        Assert.Equal(code, e.Code);
        Assert.Contains("OnnxModel 'models/x.onnx'", e.Message);
        Assert.Contains($"{key} '{value}'", e.Message);
    }
}
