using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Tests.Caching;

public class CacheKeyTests
{
    private static readonly ResolvedSource Source = new()
    {
        Kind = SourceKind.Checkpoint, LocalPath = "/x", Fingerprint = new string('a', 64), Description = "folder:x",
    };

    private static ModelRequest Request(params (string Key, string? Value)[] metadata) =>
        ModelRequest.Parse("x/", "/proj", metadata.ToDictionary(m => m.Key, m => m.Value));

    private static readonly string Baseline = CacheKey.Compute(Source, Request(), "1.0");

    public static TheoryData<string, string> ByteDecidingMetadata => new()
    {
        { "Task", "fill-mask" }, { "Opset", "17" }, { "Precision", "fp16" }, { "Optimize", "basic" }, { "Quantize", "dynamic" },
    };

    [Theory]
    [MemberData(nameof(ByteDecidingMetadata))]
    public void EachByteDecidingMetadataChangesTheKey(string key, string value) =>
        Assert.NotEqual(Baseline, CacheKey.Compute(Source, Request((key, value)), "1.0"));

    [Theory]
    [InlineData("Name", "other")]
    [InlineData("Atol", "0.1")]
    [InlineData("Validate", "false")]
    [InlineData("IncludeTokenizer", "false")]
    public void MetadataThatKeepsTheBytesKeepsTheKey(string key, string value) =>
        Assert.Equal(Baseline, CacheKey.Compute(Source, Request((key, value)), "1.0"));

    [Fact]
    public void SourceContentKindAndEngineVersionChangeTheKey()
    {
        Assert.NotEqual(Baseline, CacheKey.Compute(Source with { Fingerprint = new string('b', 64) }, Request(), "1.0"));
        Assert.NotEqual(Baseline, CacheKey.Compute(Source with { Kind = SourceKind.OnnxFile }, Request(), "1.0"));
        Assert.NotEqual(Baseline, CacheKey.Compute(Source, Request(), "1.1"));
        // Where the source sits on disk does not decide the bytes.
        Assert.Equal(Baseline, CacheKey.Compute(Source with { LocalPath = "/elsewhere", Description = "other" }, Request(), "1.0"));
    }

    [Fact]
    public void ProvenanceTheExportRecordsChangesTheKey()
    {
        // An export writes repo, revision and commit into metadata_props: a moved commit with unchanged
        // files must not be served the entry that names the old one.
        Assert.NotEqual(Baseline, CacheKey.Compute(Source with { Repo = "org/name" }, Request(), "1.0"));
        var hub = Source with { Repo = "org/name", Revision = "main", Commit = new string('1', 40) };
        Assert.NotEqual(CacheKey.Compute(hub, Request(), "1.0"), CacheKey.Compute(hub with { Commit = new string('2', 40) }, Request(), "1.0"));
        Assert.NotEqual(CacheKey.Compute(hub, Request(), "1.0"), CacheKey.Compute(hub with { Revision = "v1" }, Request(), "1.0"));
    }

    [Fact]
    public void KeyIsLowerCaseHexSha256() => Assert.Matches("^[0-9a-f]{64}$", Baseline);
}
