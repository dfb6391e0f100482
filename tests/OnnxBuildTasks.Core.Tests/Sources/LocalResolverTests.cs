using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;
using OnnxBuildTasks.Tests.Pipeline;

namespace OnnxBuildTasks.Tests.Sources;

public sealed class LocalResolverTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();
    private readonly PipelineContext _context;

    public LocalResolverTests() => _context = new PipelineContext { CacheDirectory = _dir.Combine("cache") };

    public void Dispose() => _dir.Dispose();

    private ModelRequest Request(string spec, params (string Key, string? Value)[] metadata) =>
        ModelRequest.Parse(spec, _dir.FullPath, metadata.ToDictionary(m => m.Key, m => m.Value));

    [Theory]
    [InlineData("m.onnx", null, true)]
    [InlineData("M.ONNX", null, true)]
    [InlineData("org/repo", null, false)]
    [InlineData("org/repo", "onnx/model.onnx", false)]
    [InlineData("nuget:A.B/1.0.0", "m.onnx", false)]
    public void OnnxFileResolverClaimsLocalOnnxPathsOnly(string spec, string? file, bool expected) =>
        Assert.Equal(expected, new LocalOnnxFileResolver().CanResolve(Request(spec, ("File", file))));

    [Fact]
    public void CheckpointResolverClaimsExistingFoldersAndTrailingSlashes()
    {
        Directory.CreateDirectory(_dir.Combine("ckpt"));
        var resolver = new LocalCheckpointResolver();
        Assert.True(resolver.CanResolve(Request("ckpt")));
        Assert.True(resolver.CanResolve(Request("missing/")));
        Assert.False(resolver.CanResolve(Request("org/repo")));
    }

    [Fact]
    public void ExternalDataIsPartOfTheFingerprint()
    {
        PipelineTestModels.WriteWithExternalData(_dir.Combine("m"), "m.onnx", "m.onnx.data");
        var before = new LocalOnnxFileResolver().Resolve(Request("m/m.onnx"), _context);
        using (var data = File.OpenWrite(_dir.Combine("m", "m.onnx.data")))
        {
            data.Position = 10;
            data.WriteByte(0x42);
        }
        var after = new LocalOnnxFileResolver().Resolve(Request("m/m.onnx"), _context);
        Assert.Equal(SourceKind.OnnxFile, after.Kind);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
        Assert.StartsWith("file:m/m.onnx sha256:", after.Description);
    }

    [Fact]
    public void MissingFileAndMissingExternalDataAreSourceNotFound()
    {
        Assert.Equal(ErrorCodes.SourceNotFound, Assert.Throws<OnnxBuildException>(() => new LocalOnnxFileResolver().Resolve(Request("nope.onnx"), _context)).Code);
        PipelineTestModels.WriteWithExternalData(_dir.Combine("m"), "m.onnx", "m.onnx.data");
        File.Delete(_dir.Combine("m", "m.onnx.data"));
        var e = Assert.Throws<OnnxBuildException>(() => new LocalOnnxFileResolver().Resolve(Request("m/m.onnx"), _context));
        Assert.Equal(ErrorCodes.SourceNotFound, e.Code);
        Assert.Contains("m.onnx.data", e.Message);
    }

    [Fact]
    public void ACorruptFileIsUnreadableNamingTheItem()
    {
        File.WriteAllBytes(_dir.Combine("bad.onnx"), [0xff, 0xff, 0xff, 0x01, 0x02]);
        var e = Assert.Throws<OnnxBuildException>(() => new LocalOnnxFileResolver().Resolve(Request("bad.onnx"), _context));
        Assert.Equal(ErrorCodes.OnnxFileUnreadable, e.Code);
        Assert.Contains("OnnxModel 'bad.onnx'", e.Message);
    }

    [Fact]
    public void ExternalDataOutsideTheModelFolderIsRefused()
    {
        PipelineTestModels.WriteWithExternalData(_dir.Combine("m"), "m.onnx", "../escape.data");
        var e = Assert.Throws<OnnxBuildException>(() => new LocalOnnxFileResolver().Resolve(Request("m/m.onnx"), _context));
        Assert.Equal(ErrorCodes.OnnxFileUnreadable, e.Code);
        Assert.Contains("../escape.data", e.Message);
    }

    [Fact]
    public void CheckpointFingerprintFollowsWeightsNotTokenizerFiles()
    {
        var folder = _dir.Combine("ckpt");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(PipelineTestModels.CheckpointFolder)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var resolver = new LocalCheckpointResolver();
        var first = resolver.Resolve(Request("ckpt"), _context);
        File.AppendAllText(Path.Combine(folder, "vocab.txt"), "extra\n");
        Assert.Equal(first.Fingerprint, resolver.Resolve(Request("ckpt"), _context).Fingerprint);
        File.AppendAllText(Path.Combine(folder, "config.json"), " ");
        Assert.NotEqual(first.Fingerprint, resolver.Resolve(Request("ckpt"), _context).Fingerprint);
        Assert.Empty(resolver.Resolve(Request("ckpt", ("IncludeTokenizer", "false")), _context).SideFiles);
    }

    [Fact]
    public void AFolderWithoutConfigIsNotACheckpoint()
    {
        Directory.CreateDirectory(_dir.Combine("empty"));
        var e = Assert.Throws<OnnxBuildException>(() => new LocalCheckpointResolver().Resolve(Request("empty/"), _context));
        Assert.Equal(ErrorCodes.CheckpointFolderInvalid, e.Code);
    }
}
