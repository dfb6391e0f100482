using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.HubServer;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Sources;
using OnnxBuildTasks.Tests.Hub;

namespace OnnxBuildTasks.Tests.Sources;

public class HubSourceTests
{
    [Fact]
    public async Task LockRecordsCommitAndFilesThenPinsTheBranchWithoutRequests()
    {
        await using var env = await HubTestEnv.StartAsync();
        var lockPath = env.Scratch(LockFile.DefaultFileName);
        var first = await new HubSource(env.Fetcher(), new LockSession(lockPath, false)).FetchAsync("org/tiny-bert", null, null, "item");

        var entry = LockFile.Read(lockPath).Models["org/tiny-bert"];
        Assert.Equal(env.CommitOf("org/tiny-bert", "v2"), entry.Commit);
        Assert.Equal("main", entry.Revision);
        Assert.Equal(first.Files.Select(f => (f.Path, f.Size, f.Sha256)), entry.Files.Select(f => (f.Path, f.Size, f.Sha256)));

        // main moves on the Hub; the lock keeps the old commit, with no request and no rewrite.
        new HubRepoBuilder(env.ReposRoot, "org/tiny-bert").Commit("v3", new Dictionary<string, byte[]>
        {
            ["config.json"] = HubTestEnv.Bert("config.json"), ["model.safetensors"] = HubTestEnv.Bert("model.safetensors"),
        }).Save();
        env.Hub.Reload();
        env.Hub.ResetCounters();
        var session = new LockSession(lockPath, lockedMode: true);
        var pinned = await new HubSource(env.Fetcher(), session).FetchAsync("org/tiny-bert", "main", null, "item");

        Assert.Equal(first.Commit, pinned.Commit);
        Assert.Equal(0, env.Hub.RequestCount);
        Assert.Equal(0, session.Writes);

        var updated = await new HubSource(env.Fetcher(), new LockSession(lockPath, false, update: true)).FetchAsync("org/tiny-bert", "main", null, "item");
        Assert.Equal(env.CommitOf("org/tiny-bert", "v3"), updated.Commit);
        Assert.Equal(updated.Commit, LockFile.Read(lockPath).Models["org/tiny-bert"].Commit);
    }

    [Fact]
    public async Task LockedModeWithoutAnEntryFailsBeforeAnyRequest()
    {
        await using var env = await HubTestEnv.StartAsync();
        var lockPath = env.Scratch(LockFile.DefaultFileName);

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            new HubSource(env.Fetcher(), new LockSession(lockPath, lockedMode: true)).FetchAsync("org/tiny-bert", "v1.0", "onnx/model.onnx", "OnnxModel 'org/tiny-bert'"));

        Assert.Equal(ErrorCodes.LockedModeChange, e.Code);
        Assert.Contains("OnnxModel 'org/tiny-bert'", e.Message);
        Assert.Equal(0, env.Hub.RequestCount);
        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public async Task ChangedRevisionIsAChangeTheLockedModeRefuses()
    {
        await using var env = await HubTestEnv.StartAsync();
        var lockPath = env.Scratch(LockFile.DefaultFileName);
        await new HubSource(env.Fetcher(), new LockSession(lockPath, false)).FetchAsync("org/tiny-bert", "main", "onnx/model.onnx", "item");

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            new HubSource(env.Fetcher(), new LockSession(lockPath, true)).FetchAsync("org/tiny-bert", "v1.0", "onnx/model.onnx", "item"));

        Assert.Equal(ErrorCodes.LockedModeChange, e.Code);
        Assert.Contains("'main'", e.Message);
    }

    [Theory]
    [InlineData("../secret.onnx")]
    [InlineData("/etc/passwd")]
    [InlineData("onnx/../../x.onnx")]
    [InlineData("C:/x.onnx")]
    public void FilePathsLeavingTheRepoAreRefused(string file)
    {
        var e = Assert.Throws<OnnxBuildException>(() => HubSource.SafeRelativePath(file, "item"));
        Assert.Equal(ErrorCodes.SourceFilePathInvalid, e.Code);
    }
}
