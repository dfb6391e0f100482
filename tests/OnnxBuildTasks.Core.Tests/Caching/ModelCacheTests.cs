using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tests.Caching;

public sealed class ModelCacheTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    private static readonly string Key = new('c', 64);

    [Fact]
    public void AnEntryAppearsOnlyWhenCommitted()
    {
        var cache = new ModelCache(_dir.Combine("cache"));
        var staging = cache.CreateStaging(Key);
        File.WriteAllText(Path.Combine(staging, "model.onnx"), "bytes");
        Assert.Null(cache.TryGet(Key));

        var entry = cache.Commit(Key, staging, ["model.onnx"], "file:x", [KeyValuePair.Create("source", "abc")]);
        Assert.False(Directory.Exists(staging));
        Assert.Equal(cache.EntryDirectory(Key), entry.Directory);
        Assert.Equal(["model.onnx"], cache.TryGet(Key)!.Files);
        Assert.Contains("\"source\": \"file:x\"", File.ReadAllText(Path.Combine(entry.Directory, "entry.json")));
    }

    [Fact]
    public void CommitFlushesEveryStagedFileAndFolderBeforeTheRenameAndTheEntriesFolderAfter()
    {
        var cache = new ModelCache(_dir.Combine("cache"));
        var staging = cache.CreateStaging(Key);
        // written without any flush, as a plain OnnxModelFile.Save or a download leaves them
        File.WriteAllText(Path.Combine(staging, "model.onnx"), "graph");
        Directory.CreateDirectory(Path.Combine(staging, "sub"));
        File.WriteAllText(Path.Combine(staging, "sub", "model.onnx_data"), "weights");
        if (!OperatingSystem.IsWindows()) // a file copied from a read-only source keeps its mode
            File.SetUnixFileMode(Path.Combine(staging, "sub", "model.onnx_data"), UnixFileMode.UserRead);

        var seen = new List<(string Path, bool Committed)>();
        OnnxBuildTasks.Onnx.DiskFlush.Observer = p => seen.Add((p, Directory.Exists(cache.EntryDirectory(Key))));
        try
        {
            cache.Commit(Key, staging, ["model.onnx", "sub/model.onnx_data"], "file:x", []);
        }
        finally
        {
            OnnxBuildTasks.Onnx.DiskFlush.Observer = null;
        }

        var beforeRename = seen.Where(s => !s.Committed).Select(s => s.Path).ToList();
        var sep = Path.DirectorySeparatorChar;
        Assert.Contains(Path.Combine(staging, "model.onnx"), beforeRename);
        Assert.Contains(Path.Combine(staging, "sub", "model.onnx_data"), beforeRename);
        Assert.Contains(Path.Combine(staging, "entry.json"), beforeRename);
        Assert.Contains(Path.Combine(staging, "sub") + sep, beforeRename);
        Assert.Contains(staging + sep, beforeRename);
        var afterRename = seen.Where(s => s.Committed).Select(s => s.Path).ToList();
        Assert.Equal([Path.GetDirectoryName(cache.EntryDirectory(Key)) + sep], afterRename);
    }

    [Fact]
    public void AnEntryWithMissingFilesIsReportedWithItsFolder()
    {
        var cache = new ModelCache(_dir.Combine("cache"));
        var staging = cache.CreateStaging(Key);
        File.WriteAllText(Path.Combine(staging, "model.onnx"), "bytes");
        var entry = cache.Commit(Key, staging, ["model.onnx"], "file:x", []);
        File.Delete(Path.Combine(entry.Directory, "model.onnx"));
        var e = Assert.Throws<OnnxBuildException>(() => cache.TryGet(Key));
        Assert.Equal(ErrorCodes.CacheEntryCorrupt, e.Code);
        Assert.Contains(entry.Directory, e.Message);
    }

    [Fact]
    public void ALockIsExclusiveUntilDisposed()
    {
        var cache = new ModelCache(_dir.Combine("cache")) { LockTimeout = TimeSpan.FromMilliseconds(200) };
        using (cache.Lock(Key))
        {
            var e = Assert.Throws<OnnxBuildException>(() => cache.Lock(Key));
            Assert.Equal(ErrorCodes.CacheLockTimeout, e.Code);
            using (cache.Lock(new string('d', 64)))
            {
                // another key is independent
            }
        }
        using (cache.Lock(Key))
        {
        }
    }

    [Fact]
    public void AnUnwritableCacheFailsWithItsCode()
    {
        var file = _dir.Combine("not-a-folder");
        File.WriteAllText(file, "");
        var e = Assert.Throws<OnnxBuildException>(() => new ModelCache(file).CreateStaging(Key));
        Assert.Equal(ErrorCodes.CacheUnavailable, e.Code);
        Assert.Contains("OnnxCacheDir", e.Message);
    }

    [Fact]
    public void StagingLeftByAKilledBuildIsDeletedByTheNextBuildUnlessItsKeyIsBeingBuilt()
    {
        var cache = new ModelCache(_dir.Combine("cache"));
        string other = new('d', 64), running = new('a', 64);
        string tmp = _dir.Combine("cache", "tmp");
        // What killed builds leave: a staging folder and its work folder, with a partly written model.
        foreach (var name in new[] { other + "-0badc0de", other + "-0badc0de.work", Key + "-12345678", running + "-87654321", "notes-by-hand" })
        {
            Directory.CreateDirectory(Path.Combine(tmp, name));
            File.WriteAllText(Path.Combine(tmp, name, "model.onnx"), "half");
        }

        string staging;
        using (cache.Lock(running)) // another build of that key is in progress
        using (cache.Lock(Key))
        {
            staging = cache.CreateStaging(Key);
            Assert.StartsWith(Key + "-", Path.GetFileName(staging));
            var left = Directory.GetDirectories(tmp).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { running + "-87654321", Path.GetFileName(staging), "notes-by-hand" }.Order(StringComparer.Ordinal), left);
        }
        // Once those builds are gone (neither committed nor deleted its staging), their leftovers go too.
        Assert.Equal(2, cache.PruneAbandonedStaging());
        Assert.False(Directory.Exists(Path.Combine(tmp, running + "-87654321")));
        Assert.False(Directory.Exists(staging));
        Assert.True(Directory.Exists(Path.Combine(tmp, "notes-by-hand")));
    }
}
