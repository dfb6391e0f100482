using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class HubCacheScannerTests
{
    [Fact]
    public async Task ListsVerifiesAndPrunesWithoutTouchingUsedOrLockedBlobs()
    {
        await using var env = await HubTestEnv.StartAsync();
        var result = await env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert"));
        var cache = new HubCache(env.CacheDir);
        var scanner = new HubCacheScanner(cache);

        var repo = Assert.Single(scanner.List());
        Assert.Equal("org/tiny-bert", repo.RepoId);
        Assert.Equal(result.Commit, repo.Refs["main"]);
        Assert.Equal([result.Commit], repo.Snapshots);
        Assert.Equal(result.Files.Count, repo.Blobs);
        Assert.Empty(scanner.Verify());

        var blobs = Path.Combine(cache.RepoFolder("org/tiny-bert"), "blobs");
        var orphan = Path.Combine(blobs, new string('b', 40));
        File.WriteAllText(orphan, "unreferenced");
        var inProgress = Path.Combine(blobs, new string('c', 64) + ".incomplete");
        File.WriteAllText(inProgress, "half");
        using (await FileLock.AcquireAsync(cache.LockPath("org/tiny-bert", new string('c', 64)), TimeSpan.FromSeconds(5)))
        {
            Assert.Contains(scanner.Verify(), b => b.Path == orphan);
            var (removed, bytes) = scanner.Prune();
            Assert.Equal([orphan], removed);
            Assert.Equal("unreferenced".Length, bytes);
            Assert.True(File.Exists(inProgress));   // its download still holds the lock
        }
        Assert.Contains(inProgress, scanner.Prune().Removed);
        Assert.All(result.Files, f => Assert.True(File.Exists(f.LocalPath)));
        Assert.Empty(scanner.Verify());
    }
}
