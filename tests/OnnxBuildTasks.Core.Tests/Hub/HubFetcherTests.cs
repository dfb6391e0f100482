using System.Security.Cryptography;
using System.Text;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.HubServer;

namespace OnnxBuildTasks.Tests.Hub;

public class HubFetcherTests
{
    private static readonly string[] ExportFiles = ["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"];

    [Fact]
    public async Task DownloadsOnlyWhatExportNeedsInHuggingFaceLayout()
    {
        await using var env = await HubTestEnv.StartAsync();
        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));

        var commit = env.CommitOf("org/tiny-bert", "v2");
        Assert.Equal(commit, result.Commit);
        Assert.Equal(ExportFiles, result.Files.Select(f => f.Path));
        var repoDir = Path.Combine(env.CacheDir, "models--org--tiny-bert");
        Assert.Equal(commit, File.ReadAllText(Path.Combine(repoDir, "refs", "main")));   // no newline, as huggingface_hub writes it
        var served = HubRepository.Load("org/tiny-bert", Path.Combine(env.ReposRoot, "org", "tiny-bert")).Commits[commit].Files;
        foreach (var f in result.Files)
        {
            var etag = served[f.Path].Sha256 ?? served[f.Path].GitSha1;   // X-Linked-Etag for LFS, ETag otherwise
            var pointer = Path.Combine(repoDir, "snapshots", commit, f.Path);
            Assert.Equal(pointer, f.LocalPath);
            Assert.Equal(Path.Combine("..", "..", "blobs", etag), new FileInfo(pointer).LinkTarget);
            Assert.Equal(File.ReadAllBytes(served[f.Path].DiskPath), File.ReadAllBytes(Path.Combine(repoDir, "blobs", etag)));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(pointer))), f.Sha256);
            Assert.True(File.Exists(Path.Combine(env.CacheDir, ".locks", "models--org--tiny-bert", etag + ".lock")));
        }
        Assert.Equal(ExportFiles.Length, Directory.GetFiles(Path.Combine(repoDir, "blobs")).Length);   // no .incomplete left
        Assert.Equal(1, env.Hub.RequestLog.Count(l => l.StartsWith("HUB GET /api/models/org/tiny-bert/revision/main", StringComparison.Ordinal)));
        Assert.Equal(1, env.Hub.CdnRequestCount);   // model.safetensors is the one LFS file taken
    }

    [Fact]
    public async Task PinnedCommitWithWarmCacheMakesNoRequest()
    {
        await using var env = await HubTestEnv.StartAsync();
        var first = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));
        env.Hub.ResetCounters();

        var pin = new HubPin(first.Commit, [.. first.Files.Select(f => new PinnedFile(f.Path, f.Size, f.Sha256))]);
        var pinned = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert") { Pin = pin });
        var byCommit = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert", first.Commit));

        Assert.Equal(0, env.Hub.RequestCount);
        Assert.Equal(first.Files, pinned.Files);
        Assert.Equal(first.Files, byCommit.Files);
    }

    [Fact]
    public async Task CacheWrittenInPythonLayoutIsReusedWithoutRequests()
    {
        await using var env = await HubTestEnv.StartAsync();
        var commit = env.CommitOf("org/tiny-bert", "v1");
        // Exactly what huggingface_hub leaves: blobs named by etag, relative symlinks, refs/main.
        var repoDir = Path.Combine(env.CacheDir, "models--org--tiny-bert");
        Directory.CreateDirectory(Path.Combine(repoDir, "blobs"));
        Directory.CreateDirectory(Path.Combine(repoDir, "snapshots", commit));
        Directory.CreateDirectory(Path.Combine(repoDir, "refs"));
        File.WriteAllText(Path.Combine(repoDir, "refs", "main"), commit);
        foreach (var name in ExportFiles)
        {
            var bytes = HubTestEnv.Bert(name);
            var etag = name.EndsWith(".safetensors", StringComparison.Ordinal)
                ? Convert.ToHexStringLower(SHA256.HashData(bytes))
                : Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));
            File.WriteAllBytes(Path.Combine(repoDir, "blobs", etag), bytes);
            File.CreateSymbolicLink(Path.Combine(repoDir, "snapshots", commit, name), "../../blobs/" + etag);
        }

        var byCommit = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert", commit));
        var offline = await env.Fetcher(offline: true).FetchAsync(new HubFetchRequest("org/tiny-bert"));

        Assert.Equal(0, env.Hub.RequestCount);
        Assert.Equal(ExportFiles, byCommit.Files.Select(f => f.Path));
        Assert.Equal(commit, offline.Commit);
        Assert.Equal(HubTestEnv.Bert("model.safetensors"), File.ReadAllBytes(byCommit.Files[1].LocalPath));
    }

    [Fact]
    public async Task BrokenDownloadResumesWithRangeAndVerifies()
    {
        var big = RandomNumberGenerator.GetBytes(4_000_000);
        await using var env = await HubTestEnv.StartAsync(root => new HubRepoBuilder(root, "org/big")
            .Commit("v1", new Dictionary<string, byte[]> { ["model.onnx"] = big }).Save());
        env.Hub.Faults.DropAfter(1_500_000);

        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/big") { Files = ["model.onnx"] });

        Assert.Equal(big, File.ReadAllBytes(result.Files[0].LocalPath));
        var cdn = env.Hub.RequestLog.Where(l => l.StartsWith("CDN", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, cdn.Count);
        var resumedAt = long.Parse(cdn[1].Split("Range: bytes=")[1].TrimEnd('-'));
        Assert.InRange(resumedAt, 1, 1_500_000);
        Assert.Equal(1_500_000 + big.Length - resumedAt, env.Hub.BytesServed);   // only the remainder was sent again
    }

    [Fact]
    public async Task ServerIgnoringRangeRestartsFromTheFirstByte()
    {
        var big = RandomNumberGenerator.GetBytes(3_000_000);
        await using var env = await HubTestEnv.StartAsync(root => new HubRepoBuilder(root, "org/big")
            .Commit("v1", new Dictionary<string, byte[]> { ["model.onnx"] = big }).Save());
        env.Hub.Faults.DropAfter(1_000_000);
        env.Hub.Faults.IgnoreRange = true;

        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/big") { Files = ["model.onnx"] });

        Assert.Equal(big, File.ReadAllBytes(result.Files[0].LocalPath));
        Assert.Equal(1_000_000 + big.Length, env.Hub.BytesServed);
    }

    [Fact]
    public async Task TransientServiceUnavailableIsRetried()
    {
        await using var env = await HubTestEnv.StartAsync();
        env.Hub.Faults.Fail503(2);

        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));

        Assert.Equal(ExportFiles, result.Files.Select(f => f.Path));
        Assert.Equal(2, env.Hub.Served503Count);   // both injected 503s were really answered, then retried
        Assert.Contains(env.Hub.RequestLog, l => l.Contains("/revision/main", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CorruptedBlobIsFetchedAgainNeverUsed()
    {
        await using var env = await HubTestEnv.StartAsync();
        var first = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));
        var weights = first.Files.Single(f => f.Path == "model.safetensors");
        var blob = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(weights.LocalPath)!, new FileInfo(weights.LocalPath).LinkTarget!));
        var bytes = File.ReadAllBytes(blob);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);
        env.Hub.ResetCounters();

        var again = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert", first.Commit));

        Assert.Equal(HubTestEnv.Bert("model.safetensors"), File.ReadAllBytes(blob));
        Assert.Equal(weights.Sha256, again.Files.Single(f => f.Path == "model.safetensors").Sha256);
        Assert.Equal(1, env.Hub.CdnRequestCount);
    }

    [Fact]
    public async Task OfflineServesTheCacheAndNamesWhatIsMissing()
    {
        await using var env = await HubTestEnv.StartAsync();
        await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));
        env.Hub.ResetCounters();

        var hit = await env.Fetcher(offline: true).FetchAsync(new HubFetchRequest("org/tiny-bert"));
        var miss = await Assert.ThrowsAsync<Diagnostics.OnnxBuildException>(() =>
            env.Fetcher(offline: true).FetchAsync(new HubFetchRequest("org/sharded")));
        var fileMiss = await Assert.ThrowsAsync<Diagnostics.OnnxBuildException>(() =>
            env.Fetcher(offline: true).FetchAsync(new HubFetchRequest("org/tiny-bert") { Files = ["onnx/model.onnx"] }));

        Assert.Equal(ExportFiles, hit.Files.Select(f => f.Path));
        Assert.Equal(Diagnostics.ErrorCodes.HubOfflineMiss, miss.Code);
        Assert.Contains("org/sharded", miss.Message);
        Assert.Equal(Diagnostics.ErrorCodes.HubOfflineMiss, fileMiss.Code);
        Assert.Contains("onnx/model.onnx", fileMiss.Message);
        Assert.Equal(0, env.Hub.RequestCount);
    }

    [Fact]
    public async Task FileMetadataTakesOneFileAsIs()
    {
        await using var env = await HubTestEnv.StartAsync();
        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert", "v1.0") { Files = ["onnx/model.onnx"] });

        var only = Assert.Single(result.Files);
        Assert.Equal(HubTestEnv.Bert("reference.onnx"), File.ReadAllBytes(only.LocalPath));
        Assert.Equal(env.CommitOf("org/tiny-bert", "v1"), result.Commit);
        Assert.Equal(result.Commit, File.ReadAllText(Path.Combine(env.CacheDir, "models--org--tiny-bert", "refs", "v1.0")));
    }

    [Fact]
    public async Task ShardedSafetensorsBringEveryShardAndNoBinDuplicates()
    {
        await using var env = await HubTestEnv.StartAsync();
        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/sharded"));

        Assert.Equal(
            ["config.json", "generation_config.json", "merges.txt", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
             "model.safetensors.index.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.json"],
            result.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task TwoFetchersSharingTheCacheDownloadEachBlobOnce()
    {
        var big = RandomNumberGenerator.GetBytes(2_000_000);
        await using var env = await HubTestEnv.StartAsync(root => new HubRepoBuilder(root, "org/big")
            .Commit("v1", new Dictionary<string, byte[]> { ["model.onnx"] = big }).Save());
        env.Hub.Faults.ThrottleBytesPerSecond = 8_000_000;
        var request = new HubFetchRequest("org/big") { Files = ["model.onnx"] };

        var both = await Task.WhenAll(env.Fetcher().FetchAsync(request), env.Fetcher().FetchAsync(request));

        Assert.Equal(1, env.Hub.CdnRequestCount);
        Assert.All(both, r => Assert.Equal(big, File.ReadAllBytes(r.Files[0].LocalPath)));
    }
}

public class HubFetcherSnapshotTests
{
    [Fact]
    public async Task AFileNotYetInTheSnapshotIsFetchedNotMarkedMissing()
    {
        await using var env = await HubTestEnv.StartAsync();
        var checkpoint = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));
        var byCommit = new HubFetchRequest("org/tiny-bert", checkpoint.Commit) { Files = ["onnx/model.onnx"] };

        var first = await env.Fetcher().FetchAsync(byCommit);
        env.Hub.ResetCounters();
        var second = await env.Fetcher().FetchAsync(byCommit);

        Assert.Equal(HubTestEnv.Bert("reference.onnx"), File.ReadAllBytes(first.Files[0].LocalPath));
        Assert.Equal(first.Files, second.Files);
        Assert.Equal(0, env.Hub.RequestCount);
        Assert.False(Directory.Exists(Path.Combine(env.CacheDir, "models--org--tiny-bert", ".no_exist")));
    }
}

public class HubFetcherRenameTests
{
    [Fact]
    public async Task RenamedRepoIsFollowedThroughItsRelativeRedirectKeepingTheToken()
    {
        await using var env = await HubTestEnv.StartAsync(root => File.WriteAllText(Path.Combine(root, "redirects.json"), """{"old-org/bert":"org/gated"}"""));

        var result = await env.Fetcher(token: HubTestEnv.Token).FetchAsync(new HubFetchRequest("old-org/bert"));

        Assert.Equal(env.CommitOf("org/gated", "v1"), result.Commit);
        Assert.StartsWith(Path.Combine(env.CacheDir, "models--old-org--bert"), result.SnapshotFolder);   // stored under the name asked for
        Assert.Contains(env.Hub.RequestLog, l => l.StartsWith("HUB GET /org/gated/resolve/", StringComparison.Ordinal));
        Assert.Equal(0, env.Hub.CdnAuthorizationCount);
    }
}
