using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Tests.Pipeline;

public sealed class EngineRunTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    private string Project => _dir.Combine("proj");

    private string OutRoot => _dir.Combine("proj", "obj", "onnx", "out");

    private EngineItem Item(string spec, string key, params (string Key, string? Value)[] metadata) => new()
    {
        ItemSpec = spec,
        OutputRoot = OutRoot,
        FileList = _dir.Combine("proj", "obj", "onnx", key + ".files"),
        Metadata = metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase),
    };

    private (int Failed, string[] Errors, string Output) Execute(params EngineItem[] items) =>
        Execute(PipelineComponents.CreateDefault(), items);

    private (int Failed, string[] Errors, string Output) Execute(PipelineComponents components, params EngineItem[] items)
    {
        Directory.CreateDirectory(_dir.Combine("proj", "obj", "onnx"));
        var request = new EngineRequest
        {
            ProjectFile = _dir.Combine("proj", "app.csproj"),
            ProjectDirectory = Project,
            CacheDir = _dir.Combine("cache"),
            Items = [.. items],
        };
        var output = new StringWriter();
        var errors = new StringWriter();
        var failed = new EngineRun(components, output, errors).Execute(request);
        return (failed, errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), output.ToString());
    }

    [Fact]
    public void EveryItemIsProcessedAndEachFailureIsOneCanonicalLineNamingItsItem()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "good.onnx");
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "other.onnx");
        Directory.CreateDirectory(Path.Combine(Project, "models"));
        File.WriteAllBytes(Path.Combine(Project, "models", "corrupt.onnx"), File.ReadAllBytes(PipelineTestModels.ReferenceOnnx)[..1000]);

        var (failed, errors, _) = Execute(
            Item("models/good.onnx", "a"),
            Item("models/corrupt.onnx", "b"),
            Item("models/other.onnx", "c", ("Opset", "x")),
            Item("models/missing.onnx", "d"));

        Assert.Equal(3, failed);
        var project = _dir.Combine("proj", "app.csproj");
        Assert.Equal(
        [
            $"{project}: error {ErrorCodes.OnnxFileUnreadable}: OnnxModel 'models/corrupt.onnx'",
            $"{project}: error {ErrorCodes.OpsetInvalid}: OnnxModel 'models/other.onnx'",
            $"{project}: error {ErrorCodes.SourceNotFound}: OnnxModel 'models/missing.onnx'",
        ], errors.Select(e => e[..e.IndexOf(':', e.IndexOf("OnnxModel", StringComparison.Ordinal))]));

        Assert.Equal(["good/model.onnx"], File.ReadAllLines(_dir.Combine("proj", "obj", "onnx", "a.files")));
        Assert.Equal(File.ReadAllBytes(PipelineTestModels.ReferenceOnnx), File.ReadAllBytes(Path.Combine(OutRoot, "good", "model.onnx")));
        Assert.False(File.Exists(_dir.Combine("proj", "obj", "onnx", "b.files")));
        Assert.False(Directory.Exists(Path.Combine(OutRoot, "corrupt")));
        Assert.Equal(["good"], Directory.GetDirectories(OutRoot).Select(Path.GetFileName));
    }

    [Fact]
    public void AnItemThatFailsNowLosesItsEarlierOutput()
    {
        var path = PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        Assert.Equal(0, Execute(Item("models/m.onnx", "a")).Failed);
        Assert.True(File.Exists(Path.Combine(OutRoot, "m", "model.onnx")));

        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal(1, Execute(Item("models/m.onnx", "a")).Failed);
        Assert.False(Directory.Exists(Path.Combine(OutRoot, "m")));
        Assert.False(File.Exists(_dir.Combine("proj", "obj", "onnx", "a.files")));
    }

    [Fact]
    public void ACheckpointWithoutAnExporterFailsWithItsCodeAndLeavesNothing()
    {
        // Without an exporter (the default registers the native one), a checkpoint fails honestly with OBT1020 and leaves nothing.
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(PipelineTestModels.CheckpointFolder, "config.json"), Path.Combine(folder, "config.json"));
        var components = PipelineComponents.CreateDefault();
        components.Exporter = null;
        var (failed, errors, _) = Execute(components, Item("ckpt/", "a"));
        Assert.Equal(1, failed);
        Assert.Contains($"error {ErrorCodes.ExportNotAvailable}: OnnxModel 'ckpt/'", errors.Single());
        Assert.False(Directory.Exists(Path.Combine(OutRoot, "ckpt")));
    }

    [Fact]
    public void ACheckpointWithoutWeightsFailsWithItsCodeAndLeavesNothing()
    {
        // config.json alone: the native exporter finds no weight file, names the folder, and nothing is left behind.
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(PipelineTestModels.CheckpointFolder, "config.json"), Path.Combine(folder, "config.json"));
        var (failed, errors, _) = Execute(Item("ckpt/", "a"));
        Assert.Equal(1, failed);
        Assert.Contains($"error {ErrorCodes.CheckpointNotFound}: ", errors.Single());
        Assert.Contains("ckpt", errors.Single());
        Assert.False(Directory.Exists(Path.Combine(OutRoot, "ckpt")));
    }

    [Fact]
    public void ADuplicateNameFailsTheSecondItemWithoutTouchingTheFirstsFolder()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "a"), "m.onnx");
        PipelineTestModels.CopyReference(Path.Combine(Project, "b"), "m.onnx");
        var (failed, errors, _) = Execute(Item("a/m.onnx", "a"), Item("b/m.onnx", "b"));
        Assert.Equal(1, failed);
        Assert.Contains($"error {ErrorCodes.NameDuplicate}: OnnxModel 'b/m.onnx': OnnxModel 'a/m.onnx' already writes models/m", errors.Single());
        Assert.True(File.Exists(Path.Combine(OutRoot, "m", "model.onnx")));
        Assert.True(File.Exists(_dir.Combine("proj", "obj", "onnx", "a.files")));
    }

    [Fact]
    public void AMalformedRequestFileIsCoded()
    {
        var path = _dir.Combine("request.json");
        File.WriteAllText(path, "{ not json");
        Assert.Equal(ErrorCodes.EngineRequestInvalid, Assert.Throws<OnnxBuildException>(() => EngineRequest.Read(path)).Code);
    }

    [Fact]
    public void ARequestRoundTripsFromTheTasksJsonShape()
    {
        var path = _dir.Combine("request.json");
        File.WriteAllText(path, """
            {"projectFile":"/p/app.csproj","projectDirectory":"/p","cacheDir":"","hubEndpoint":"","offline":"true","lockFile":"/p/onnxmodels.lock.json","lockedMode":"false",
             "items":[{"itemSpec":"models/a.onnx","outputRoot":"/p/obj/onnx/out/","fileList":"/p/obj/onnx/1.files","metadata":{"Opset":"17","Name":""}}]}
            """);
        var request = EngineRequest.Read(path);
        Assert.Equal("true", request.Offline);
        var item = Assert.Single(request.Items);
        Assert.Equal(("models/a.onnx", "/p/obj/onnx/out/", "/p/obj/onnx/1.files", "17"), (item.ItemSpec, item.OutputRoot, item.FileList, item.Metadata["Opset"]));
    }
}
