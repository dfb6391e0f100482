namespace OnnxBuildTasks.Integration;

[Collection("dotnet build")]
public sealed class FailingBuildTests
{
    [Fact]
    public void ACorruptModelFailsWithItsCodeNamingTheItemAndLeavesNoOutputWhileTheGoodOneBuilds()
    {
        using var project = new TestProject("""
                <OnnxModel Include="models/good.onnx" />
                <OnnxModel Include="models/broken.onnx" />
                <OnnxModel Include="models/bad-opset.onnx" Opset="latest" />
            """);
        File.WriteAllBytes(project.Model("models/good.onnx"), Fixture.SentimentOnnx);
        File.WriteAllBytes(project.Model("models/broken.onnx"), Fixture.SentimentOnnx[..4096]);
        File.WriteAllBytes(project.Model("models/bad-opset.onnx"), Fixture.SentimentOnnx);

        var build = project.Build();
        Assert.NotEqual(0, build.ExitCode);
        var projectFile = Path.Combine(project.Directory, "app.csproj");
        Assert.Contains($"{projectFile} : error OBT1013: OnnxModel 'models/broken.onnx':", build.Output);
        Assert.Contains($"{projectFile} : error OBT1001: OnnxModel 'models/bad-opset.onnx': Opset 'latest'", build.Output);
        Assert.False(Directory.Exists(Path.Combine(project.Bin, "models", "broken")));
        Assert.False(Directory.Exists(Path.Combine(project.ObjOnnx, "out", "broken")));
        Assert.False(Directory.Exists(Path.Combine(project.ObjOnnx, "out", "bad-opset")));
        // Every item was processed: the good one is ready in obj/ for the next successful build.
        Assert.True(File.Exists(Path.Combine(project.ObjOnnx, "out", "good", "model.onnx")));

        // The failed items stay out of date: the next build tries them again (and fails again).
        var again = project.Build();
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal(["models/broken.onnx", "models/bad-opset.onnx"], BuildLog.EngineItems(again.Output));
    }
}
