using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Tests.Export;

/// <summary>The native exporter behind the default pipeline: a checkpoint item becomes a validated, cached model.</summary>
public sealed class PipelineExporterTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheDefaultPipelineExportsAndValidatesACheckpointItem()
    {
        string project = CopyFixture("bert-text-classification", "models/sentiment");
        var pipeline = new ModelPipeline(PipelineComponents.CreateDefault(), new PipelineContext { CacheDirectory = _dir.Combine("cache") });
        var request = ModelRequest.Parse("models/sentiment/", project, new Dictionary<string, string?> { ["Opset"] = "14" });

        var result = pipeline.Run(request);
        string model = Path.Combine(result.Entry.Directory, "model.onnx");
        var proto = OnnxModelFile.Load(model);
        Assert.Equal(14, proto.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("text-classification", proto.MetadataProps.Single(p => p.Key == "onnxbuildtasks.task").Value);
        Assert.Equal(result.Source.Fingerprint, proto.MetadataProps.Single(p => p.Key == "onnxbuildtasks.source.fingerprint").Value);
        Assert.True(pipeline.Run(request).CacheHit);
    }

    [Fact]
    public void AnExportThatDoesNotMatchItsReferenceOutputsFailsTheItem()
    {
        string project = CopyFixture("bert-text-classification", "ckpt");
        // Outputs that belong to another model: validation must fail, not warn.
        File.Copy(ExportFixtures.Folder("albert-text-classification") + "/outputs.json", Path.Combine(project, "ckpt", "outputs.json"), overwrite: true);
        var pipeline = new ModelPipeline(PipelineComponents.CreateDefault(), new PipelineContext { CacheDirectory = _dir.Combine("cache") });
        var e = Assert.Throws<OnnxBuildException>(() => pipeline.Run(ModelRequest.Parse("ckpt/", project, new Dictionary<string, string?>())));
        Assert.StartsWith("OBT60", e.Code);
        Assert.Contains("OnnxModel 'ckpt/'", e.Message);

        var skipped = pipeline.Run(ModelRequest.Parse("ckpt/", project, new Dictionary<string, string?> { ["Validate"] = "false" }));
        Assert.True(File.Exists(Path.Combine(skipped.Entry.Directory, "model.onnx")));
    }

    private string CopyFixture(string fixture, string relative)
    {
        string project = _dir.Combine("proj");
        string target = Path.Combine(project, relative);
        Directory.CreateDirectory(target);
        foreach (string f in Directory.GetFiles(ExportFixtures.Folder(fixture)))
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        return project;
    }
}
