namespace OnnxBuildTasks.Integration;

/// <summary>
/// One project through its life: first build, no-op build, touching a model, changing metadata,
/// publish, clean. The steps share one restored project (each depends on the state the previous
/// left), so they are one test with named steps.
/// </summary>
[Collection("dotnet build")]
public sealed class IncrementalBuildTests
{
    [Fact]
    public void ModelsBuildIncrementallyPublishAndClean()
    {
        using var project = new TestProject("""
                <OnnxModel Include="models/sentiment.onnx" Atol="0.0001" />
                <OnnxModel Include="models/second.onnx" Name="clf" />
            """);
        File.WriteAllBytes(project.Model("models/sentiment.onnx"), Fixture.SentimentOnnx);
        File.WriteAllBytes(project.Model("models/second.onnx"), Fixture.SentimentOnnx);
        var sentimentInBin = Path.Combine(project.Bin, "models", "sentiment", "model.onnx");
        var clfInBin = Path.Combine(project.Bin, "models", "clf", "model.onnx");

        // 1. First build: both models validated, cached and copied to bin/models/<Name>/model.onnx.
        var first = project.Build();
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["models/sentiment.onnx", "models/second.onnx"], BuildLog.EngineItems(first.Output));
        Assert.Equal(Fixture.SentimentOnnx, File.ReadAllBytes(sentimentInBin));
        Assert.Equal(Fixture.SentimentOnnx, File.ReadAllBytes(clfInBin));
        Assert.Contains(Directory.GetFiles(Path.Combine(project.Root, "cache"), "validation.model.atol0.0001.json", SearchOption.AllDirectories), _ => true);

        // 2. No-op build: the one incremental target is skipped and no engine process starts.
        var noop = project.Build();
        Assert.True(noop.ExitCode == 0, noop.ToString());
        Assert.True(BuildLog.EngineTargetSkipped(noop.Output), noop.ToString());
        Assert.False(BuildLog.EngineStarted(noop.Output), noop.ToString());
        Assert.Empty(BuildLog.EngineItems(noop.Output));
        Assert.True(File.Exists(sentimentInBin));

        // 3. Touching one model rebuilds just that item.
        File.SetLastWriteTimeUtc(project.Model("models/second.onnx"), DateTime.UtcNow.AddSeconds(2));
        var touched = project.Build();
        Assert.True(touched.ExitCode == 0, touched.ToString());
        Assert.Equal(["models/second.onnx"], BuildLog.EngineItems(touched.Output));

        // 4. Changing one item's metadata rebuilds just that item; a new Name moves its output.
        project.ProjectText = project.ProjectText.Replace("Atol=\"0.0001\"", "Atol=\"0.001\"");
        var atol = project.Build();
        Assert.True(atol.ExitCode == 0, atol.ToString());
        Assert.Equal(["models/sentiment.onnx"], BuildLog.EngineItems(atol.Output));

        project.ProjectText = project.ProjectText.Replace("Name=\"clf\"", "Name=\"renamed\"");
        var renamed = project.Build();
        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        Assert.Equal(["models/second.onnx"], BuildLog.EngineItems(renamed.Output));
        Assert.Equal(Fixture.SentimentOnnx, File.ReadAllBytes(Path.Combine(project.Bin, "models", "renamed", "model.onnx")));
        Assert.False(File.Exists(clfInBin), "the SDK's incremental clean removes the old Name's copy");

        // 5. Publish includes the models.
        var publishDir = Path.Combine(project.Root, "publish");
        var publish = DotnetCli.Run(project.Directory, "publish", "-o", publishDir, "-v:n");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.Equal(Fixture.SentimentOnnx, File.ReadAllBytes(Path.Combine(publishDir, "models", "sentiment", "model.onnx")));
        Assert.True(File.Exists(Path.Combine(publishDir, "models", "renamed", "model.onnx")));

        // 6. Clean removes them from bin and obj.
        var clean = DotnetCli.Run(project.Directory, "clean", "-v:n");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.False(File.Exists(sentimentInBin));
        Assert.False(File.Exists(Path.Combine(project.Bin, "models", "renamed", "model.onnx")));
        Assert.Empty(Directory.Exists(project.ObjOnnx) ? Directory.GetFiles(project.ObjOnnx, "*", SearchOption.AllDirectories) : []);
    }
}
