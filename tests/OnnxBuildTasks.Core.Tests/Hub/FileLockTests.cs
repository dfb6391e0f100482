using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class FileLockTests
{
    [Fact]
    public async Task SecondHolderWaitsUntilTheFirstReleases()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine(".locks", "models--a--b", "x.lock");
        var first = await FileLock.AcquireAsync(path, TimeSpan.FromSeconds(5));
        var second = FileLock.AcquireAsync(path, TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task TimesOutWithACode()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine("x.lock");
        using var held = await FileLock.AcquireAsync(path, TimeSpan.FromSeconds(5));
        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => FileLock.AcquireAsync(path, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(ErrorCodes.HubCacheWriteFailed, e.Code);
    }
}
