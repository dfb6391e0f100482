using System.Globalization;

namespace OnnxBuildTasks.HubServer;

/// <summary>
/// <c>dotnet run --project tests/OnnxBuildTasks.HubServer -- --root DIR [--port N] [--cdn-port N]
/// [--drop-after BYTES [--drops K]] [--fail503 K] [--ignore-range] [--throttle BYTES_PER_S]</c>.
/// Prints the Hub and CDN URLs, serves until Ctrl+C, SIGTERM or until stdin closes.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var opts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return Usage($"unexpected argument '{args[i]}'");
            var takesValue = args[i] != "--ignore-range";
            opts[args[i][2..]] = takesValue && i + 1 < args.Length ? args[++i] : "true";
        }
        if (!opts.TryGetValue("root", out var root)) return Usage("--root is required");
        int Int(string k) => opts.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : 0;

        await using var hub = await LocalHub.StartAsync(root, Int("port"), Int("cdn-port"));
        if (opts.TryGetValue("drop-after", out var drop))
            hub.Faults.DropAfter(long.Parse(drop, CultureInfo.InvariantCulture), Math.Max(1, Int("drops")));
        if (Int("fail503") > 0) hub.Faults.Fail503(Int("fail503"));
        hub.Faults.IgnoreRange = opts.ContainsKey("ignore-range");
        if (opts.TryGetValue("throttle", out var bps)) hub.Faults.ThrottleBytesPerSecond = long.Parse(bps, CultureInfo.InvariantCulture);

        Console.WriteLine($"Hub: {hub.Endpoint.ToString().TrimEnd('/')}");
        Console.WriteLine($"CDN: {hub.CdnEndpoint.ToString().TrimEnd('/')}");
        Console.WriteLine($"Repos: {string.Join(", ", hub.Catalog.Repos.Keys.Order())}");
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        using var onStopping = hub.Stopping.Register(() => stop.TrySetResult());   // SIGTERM
        if (!opts.ContainsKey("no-stdin"))
            _ = Task.Run(() => { while (Console.In.ReadLine() is not null) { } stop.TrySetResult(); });
        await stop.Task;
        return 0;
    }

    private static int Usage(string error)
    {
        Console.Error.WriteLine("error: " + error);
        Console.Error.WriteLine("usage: OnnxBuildTasks.HubServer --root DIR [--port N] [--cdn-port N] [--drop-after BYTES [--drops K]] [--fail503 K] [--ignore-range] [--throttle BYTES_PER_S] [--no-stdin]");
        return 2;
    }
}
