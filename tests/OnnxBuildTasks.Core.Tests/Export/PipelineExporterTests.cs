using System.Security.Cryptography;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;
using OnnxBuildTasks.Tests.Hub;

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

    [Fact]
    public void ALocalCheckpointItemRecordsTheSha256OfItsConfigAndWeightsInSortedMetadata()
    {
        string project = CopyFixture("bert-text-classification", "ckpt");
        var pipeline = new ModelPipeline(PipelineComponents.CreateDefault(), new PipelineContext { CacheDirectory = _dir.Combine("cache") });

        var result = pipeline.Run(ModelRequest.Parse("ckpt/", project, new Dictionary<string, string?>()));

        var props = OnnxModelFile.Load(Path.Combine(result.Entry.Directory, "model.onnx")).MetadataProps;
        var hashes = props.Where(p => p.Key.StartsWith(Sha256Prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[Sha256Prefix.Length..], p => p.Value);
        // config.json and every weight file of the folder, each with the sha256 of the fixture's bytes.
        Assert.Equal(["config.json", "model.safetensors", "pytorch_model.bin"], hashes.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, sha) in hashes)
            Assert.Equal(FixtureSha256("bert-text-classification", file), sha);
        // A local folder has no repo or commit to record.
        Assert.DoesNotContain(props, p => p.Key is "onnxbuildtasks.source.repo" or "onnxbuildtasks.source.commit");
        Assert.Equal(props.Select(p => p.Key).Order(StringComparer.Ordinal), props.Select(p => p.Key));
    }

    [Fact]
    public async Task AHubCheckpointItemRecordsRepoRevisionCommitAndTheSha256OfEveryFetchedFile()
    {
        await using var env = await HubTestEnv.StartAsync();
        Directory.CreateDirectory(env.Scratch("proj"));
        var components = PipelineComponents.CreateDefault();
        components.SourceResolvers[components.SourceResolvers.FindIndex(r => r is HubSourceResolver)] = new HubSourceResolver(_ => env.Settings());
        var context = new PipelineContext { CacheDirectory = env.Scratch("models-cache"), LockFilePath = env.Scratch("proj", LockFile.DefaultFileName) };
        var request = ModelRequest.Parse("org/tiny-bert", env.Scratch("proj"), new Dictionary<string, string?> { ["Revision"] = "v1.0" });

        var result = new ModelPipeline(components, context).Run(request);

        var props = OnnxModelFile.Load(Path.Combine(result.Entry.Directory, "model.onnx")).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("org/tiny-bert", props["onnxbuildtasks.source.repo"]);
        Assert.Equal("v1.0", props["onnxbuildtasks.source.revision"]);
        Assert.Equal(env.CommitOf("org/tiny-bert", "v1"), props["onnxbuildtasks.source.commit"]);
        var hashes = props.Where(p => p.Key.StartsWith(Sha256Prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[Sha256Prefix.Length..], p => p.Value);
        Assert.Contains("config.json", hashes.Keys);
        Assert.Contains("model.safetensors", hashes.Keys);
        foreach (var (file, sha) in hashes)
            Assert.Equal(FixtureSha256("bert-token-classification", file), sha);
        Assert.Equal(result.Source.Files.Count, hashes.Count);
    }

    private const string Sha256Prefix = "onnxbuildtasks.source.sha256.";

    private static string FixtureSha256(string fixture, string file) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(ExportFixtures.Folder(fixture), file))));

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
