using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tool;

/// <summary>Shared plumbing of the source commands (download, lock, cache): errors, settings, progress.</summary>
internal static class SourceCommandSupport
{
    /// <summary>Runs a command body; a coded error becomes <c>error OBTxxxx: message</c> on stderr and exit code 1.</summary>
    public static int Run(Func<Task<int>> body)
    {
        try
        {
            return body().GetAwaiter().GetResult();
        }
        catch (OnnxBuildException e)
        {
            Console.Error.WriteLine(e.ToCanonical());
            return 1;
        }
    }

    /// <summary>Hub settings from the environment (HF_ENDPOINT, HF_TOKEN / $HF_HOME/token, HF_HUB_OFFLINE, HF_HUB_CACHE).</summary>
    public static HubSettings Settings(bool offline) => HubSettings.FromEnvironment(offline: offline ? true : null);

    /// <summary>A progress line per file on stderr, only when stderr is a terminal.</summary>
    public static IProgress<DownloadProgress>? TerminalProgress()
    {
        if (Console.IsErrorRedirected) return null;
        var gate = new object();
        var last = DateTime.MinValue;
        return new Progress<DownloadProgress>(p =>
        {
            lock (gate)
            {
                var done = p.Bytes >= p.Total;
                if (!done && DateTime.UtcNow - last < TimeSpan.FromMilliseconds(100)) return;
                last = DateTime.UtcNow;
                var pct = p.Total == 0 ? 100 : (int)(100 * p.Bytes / p.Total);
                Console.Error.Write($"\r  {p.File,-48} {pct,3}% {p.Bytes / 1048576.0,9:0.0} / {p.Total / 1048576.0:0.0} MB" + (done ? "\n" : ""));
            }
        });
    }

    /// <summary>A byte count for people.</summary>
    public static string Bytes(long n) => n switch
    {
        >= 1L << 30 => $"{n / (double)(1L << 30):0.00} GB",
        >= 1L << 20 => $"{n / (double)(1L << 20):0.0} MB",
        >= 1L << 10 => $"{n / 1024.0:0.0} KB",
        _ => $"{n} B",
    };
}
