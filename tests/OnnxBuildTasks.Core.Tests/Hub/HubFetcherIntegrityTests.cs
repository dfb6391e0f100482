using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

/// <summary>What the Hub says at download time (resolve headers, bytes) is checked before anything enters the cache.</summary>
public class HubFetcherIntegrityTests
{
    private static readonly string OtherSha256 = new('a', 64);
    private static readonly string OtherSha1 = new('b', 40);

    [Theory]
    [InlineData("model.safetensors", "X-Linked-Etag", "etag")]
    [InlineData("model.safetensors", "X-Linked-Size", "size")]
    [InlineData("model.safetensors", "X-Repo-Commit", "X-Repo-Commit")]
    [InlineData("vocab.txt", "ETag", "etag")]
    [InlineData("vocab.txt", "X-Repo-Commit", "X-Repo-Commit")]
    public async Task ResolveHeadersContradictingTheListingAreRefusedBeforeAnyByteIsKept(string file, string header, string named)
    {
        await using var env = await HubTestEnv.StartAsync();
        var value = header switch
        {
            "X-Linked-Etag" => $"\"{OtherSha256}\"",
            "ETag" => $"\"{OtherSha1}\"",
            "X-Linked-Size" => "12",
            _ => env.CommitOf("org/tiny-bert", "v1"),   // main is v2
        };
        env.Hub.Faults.ForgeHeader(file, header, value);

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert") { Files = [file] }));

        Assert.Equal(ErrorCodes.HubBadResponse, e.Code);
        Assert.Contains("org/tiny-bert", e.Message);
        Assert.Contains($"'{file}'", e.Message);
        Assert.Contains($"{named} {value.Trim('"')}", e.Message);
        Assert.Equal(0, env.Hub.CdnRequestCount);   // refused on the Hub's answer, the CDN was never asked
        AssertNothingCached(env, file);
    }

    [Theory]
    [InlineData("model.safetensors")]   // LFS: sha256, served by the CDN
    [InlineData("vocab.txt")]           // regular: git blob sha1, served by the Hub
    public async Task WrongBytesFailVerificationAndNeverEnterTheCache(string file)
    {
        await using var env = await HubTestEnv.StartAsync();
        env.Hub.Faults.Corrupt(file);

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert") { Files = [file] }));

        Assert.Equal(ErrorCodes.HubIntegrityFailed, e.Code);
        Assert.Contains("org/tiny-bert", e.Message);
        Assert.Contains($"'{file}'", e.Message);
        var downloads = file.EndsWith(".safetensors", StringComparison.Ordinal)
            ? env.Hub.CdnRequestCount
            : env.Hub.RequestLog.Count(l => l.StartsWith("HUB GET /org/tiny-bert/resolve/", StringComparison.Ordinal) && l.EndsWith("/" + file, StringComparison.Ordinal));
        Assert.Equal(2, downloads);   // fetched once more after the first failed verification, then refused
        AssertNothingCached(env, file);
    }

    [Fact]
    public async Task ListingWithoutHashesTakesEtagAndSizeFromTheResolveHeaders()
    {
        await using var env = await HubTestEnv.StartAsync();
        env.Hub.Faults.ListWithoutHashes = true;

        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert") { Files = ["model.safetensors", "vocab.txt"] });

        Assert.Equal(HubTestEnv.Bert("model.safetensors"), File.ReadAllBytes(result.Files[0].LocalPath));
        Assert.Equal(HubTestEnv.Bert("vocab.txt"), File.ReadAllBytes(result.Files[1].LocalPath));
        Assert.Equal(HubTestEnv.Bert("vocab.txt").Length, result.Files[1].Size);
        var served = env.Hub.RequestLog;
        Assert.Contains("HUB HEAD /org/tiny-bert/resolve/" + result.Commit + "/model.safetensors", served);
        Assert.Contains("HUB HEAD /org/tiny-bert/resolve/" + result.Commit + "/vocab.txt", served);
        var blobs = Directory.GetFiles(Path.Combine(env.CacheDir, "models--org--tiny-bert", "blobs")).Select(Path.GetFileName).Order().ToList();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(HubTestEnv.Bert("model.safetensors")));
        Assert.Contains(sha256, blobs);   // named by X-Linked-Etag, as the listing would have named it
        Assert.Equal(2, blobs.Count);
    }

    [Fact]
    public async Task EtagFromTheHeadersIsEnforcedWhenTheListingHasNoHash()
    {
        await using var env = await HubTestEnv.StartAsync();
        env.Hub.Faults.ListWithoutHashes = true;
        env.Hub.Faults.ForgeHeader("vocab.txt", "ETag", $"\"{OtherSha1}\"");

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert") { Files = ["vocab.txt"] }));

        Assert.Equal(ErrorCodes.HubIntegrityFailed, e.Code);
        Assert.Contains(OtherSha1, e.Message);
        AssertNothingCached(env, "vocab.txt");
    }

    // No blob, no .incomplete, no snapshot entry: the cache holds nothing of the file.
    private static void AssertNothingCached(HubTestEnv env, string file)
    {
        var repoDir = Path.Combine(env.CacheDir, "models--org--tiny-bert");
        var blobs = Path.Combine(repoDir, "blobs");
        Assert.Empty(Directory.Exists(blobs) ? Directory.GetFiles(blobs) : []);
        var snapshots = Path.Combine(repoDir, "snapshots");
        Assert.Empty(Directory.Exists(snapshots) ? Directory.GetFiles(snapshots, Path.GetFileName(file), SearchOption.AllDirectories) : []);
    }
}
