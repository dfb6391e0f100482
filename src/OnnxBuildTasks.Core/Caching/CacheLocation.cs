namespace OnnxBuildTasks.Caching;

/// <summary>Where the exported-model cache lives when nothing says otherwise.</summary>
public static class CacheLocation
{
    /// <summary>
    /// <paramref name="explicitDirectory"/> (OnnxCacheDir / --cache-dir) when set, else
    /// <c>$ONNXBUILD_CACHE</c>, else <c>%LOCALAPPDATA%\OnnxBuildTasks\cache</c> on Windows, else
    /// <c>$XDG_CACHE_HOME/onnxbuildtasks</c>, else <c>~/.cache/onnxbuildtasks</c>. Always absolute.
    /// </summary>
    public static string Resolve(string? explicitDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnv = environment("ONNXBUILD_CACHE");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
        if (OperatingSystem.IsWindows())
        {
            var local = environment("LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(local, "OnnxBuildTasks", "cache");
        }
        var xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "onnxbuildtasks");
        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "onnxbuildtasks");
    }
}
