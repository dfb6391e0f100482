using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Integration;

/// <summary>
/// A local .onnx whose weights live in a file not named after it (weights.bin): changing that file rebuilds
/// the item, and a build that changes nothing stays a no-op.
/// </summary>
[Collection("dotnet build")]
public sealed class ExternalDataBuildTests
{
    [Fact]
    public void ChangingAnExternalDataFileWithAnotherNameRebuildsTheItem()
    {
        using var project = new TestProject("""
                <OnnxModel Include="models/split/model.onnx" Name="split" />
                <OnnxModel Include="models/inline.onnx" />
            """);
        var model = project.Model("models/split/model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        var scratch = Path.Combine(project.Root, "sentiment.onnx");
        File.WriteAllBytes(scratch, Fixture.SentimentOnnx);
        OnnxModelFile.Save(OnnxModelFile.Load(scratch), model, new OnnxSaveOptions { ForceExternalData = true, ExternalDataFileName = "weights.bin" });
        File.WriteAllBytes(project.Model("models/inline.onnx"), Fixture.SentimentOnnx);
        var weights = project.Model("models/split/weights.bin");
        Assert.True(File.Exists(weights));

        var first = project.Build();
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["models/inline.onnx", "models/split/model.onnx"], BuildLog.EngineItems(first.Output).Order(StringComparer.Ordinal));

        var noop = project.Build();
        Assert.True(noop.ExitCode == 0, noop.ToString());
        Assert.False(BuildLog.EngineStarted(noop.Output), noop.ToString());

        File.SetLastWriteTimeUtc(weights, DateTime.UtcNow.AddSeconds(2));
        var changed = project.Build();
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Equal(["models/split/model.onnx"], BuildLog.EngineItems(changed.Output));

        var again = project.Build();
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(BuildLog.EngineStarted(again.Output), again.ToString());
    }
}
