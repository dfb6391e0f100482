namespace OnnxBuildTasks.Integration;

[Collection("dotnet build")]
public sealed class OpsetConversionBuildTests
{
    [Fact]
    public void OpsetMetadataConvertsTheModelAndAnImpossibleTargetFailsWithItsCode()
    {
        using var project = new TestProject("""
                <OnnxModel Include="models/up.onnx" Opset="17" />
                <OnnxModel Include="models/down.onnx" Opset="11" />
                <OnnxModel Include="models/too-old.onnx" Opset="6" />
            """);
        foreach (var name in new[] { "up", "down", "too-old" })
            File.WriteAllBytes(project.Model($"models/{name}.onnx"), Fixture.SentimentOnnx);

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error OBT5000: ", build.Output);
        Assert.False(Directory.Exists(Path.Combine(project.ObjOnnx, "out", "too-old")));
        Assert.Contains("too-old.onnx", build.Output[build.Output.IndexOf("error OBT5000: ", StringComparison.Ordinal)..]);
        foreach (var (name, opset) in new[] { ("up", 17), ("down", 11) })
        {
            Assert.Contains($"OnnxModel 'models/{name}.onnx': converting to opset {opset}", build.Output);
            var converted = File.ReadAllBytes(Path.Combine(project.ObjOnnx, "out", name, "model.onnx"));
            Assert.NotEqual(Fixture.SentimentOnnx, converted);
        }
    }
}
