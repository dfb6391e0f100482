using OnnxBuildTasks.Caching;

namespace OnnxBuildTasks.Tests.Caching;

public class CacheLocationTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void ExplicitFolderWinsOverEnvironment() =>
        Assert.Equal(Path.GetFullPath("/a/b"), CacheLocation.Resolve("/a/b", Env(("ONNXBUILD_CACHE", "/env"))));

    [Fact]
    public void OnnxBuildCacheWinsOverXdg() =>
        Assert.Equal(Path.GetFullPath("/env"), CacheLocation.Resolve(null, Env(("ONNXBUILD_CACHE", "/env"), ("XDG_CACHE_HOME", "/xdg"))));

    [Fact]
    public void XdgThenHomeOnUnix()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal("/xdg/onnxbuildtasks", CacheLocation.Resolve("", Env(("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u"))));
        Assert.Equal("/home/u/.cache/onnxbuildtasks", CacheLocation.Resolve(null, Env(("HOME", "/home/u"))));
    }
}
