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
    public void KeyIsLowerCaseHexSha256() => Assert.Matches("^[0-9a-f]{64}$", Baseline);
}
