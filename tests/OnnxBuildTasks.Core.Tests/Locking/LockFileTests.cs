using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;

namespace OnnxBuildTasks.Tests.Locking;

public class LockFileTests
{
    private static LockEntry Entry(string commit) => new()
    {
        Source = "hub", Id = "org/m", Revision = "main", Commit = commit,
        Files = [new LockedFile("config.json", 10, new string('a', 64))],
    };

    [Fact]
    public void RoundTripsAndWritesOnlyWhenTheTextChanges()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine(LockFile.DefaultFileName);
        var lf = new LockFile();
        lf.Models["org/m"] = Entry(new string('1', 40));

        Assert.True(lf.WriteIfChanged(path));
        var stamp = File.GetLastWriteTimeUtc(path);
        var back = LockFile.Read(path);
        Assert.False(back.WriteIfChanged(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.True(back.Models["org/m"].SameAs(Entry(new string('1', 40))));
        Assert.Contains("\"commit\": \"1111111111111111111111111111111111111111\"", File.ReadAllText(path));
        Assert.DoesNotContain("\r", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"version\":2,\"models\":{}}")]
    [InlineData("{\"version\":1,\"models\":{\"x\":{\"source\":\"hub\",\"files\":[{\"path\":\"a\",\"size\":1,\"sha256\":\"short\"}]}}}")]
    public void MalformedLockFileGivesTheCode(string text)
    {
        using var dir = Fixtures.NewTempDir();
        File.WriteAllText(dir.Combine("l.json"), text);
        var e = Assert.Throws<OnnxBuildException>(() => LockFile.Read(dir.Combine("l.json")));
        Assert.Equal(ErrorCodes.LockFileInvalid, e.Code);
        Assert.Contains("dotnet onnx lock", e.Message);
    }

    [Fact]
    public void LockedModeRefusesAnyChange()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine(LockFile.DefaultFileName);
        new LockSession(path, lockedMode: false).Record("org/m", Entry(new string('1', 40)), "OnnxModel 'org/m'");
        var before = File.ReadAllText(path);

        var locked = new LockSession(path, lockedMode: true);
        locked.Record("org/m", Entry(new string('1', 40)), "OnnxModel 'org/m'");   // unchanged: fine
        var e = Assert.Throws<OnnxBuildException>(() => locked.Record("org/m", Entry(new string('2', 40)), "OnnxModel 'org/m'"));

        Assert.Equal(ErrorCodes.LockedModeChange, e.Code);
        Assert.Contains("OnnxModel 'org/m'", e.Message);
        Assert.Contains("dotnet onnx lock --update", e.Message);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void PruneRemovesEntriesNoItemUsed()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine(LockFile.DefaultFileName);
        var first = new LockSession(path, false);
        first.Record("a", Entry(new string('1', 40)), "a");
        first.Record("b", Entry(new string('2', 40)), "b");

        var second = new LockSession(path, false);
        second.Record("a", Entry(new string('1', 40)), "a");
        Assert.Equal(["b"], second.PruneUnseen());
        Assert.Equal(["a"], LockFile.Read(path).Models.Keys);
    }
}
