using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OnnxBuildTasks.HubServer;

/// <summary>Sends a file body honouring <c>Range</c> and the injected faults.</summary>
internal static class FileResponse
{
    public static async Task Send(LocalHub hub, HttpContext ctx, RepoFile repoFile)
    {
        var (diskPath, size) = (repoFile.DiskPath, repoFile.Size);
        long start = 0, end = size - 1;
        var range = ctx.Request.Headers.Range.ToString();
        ctx.Response.Headers.AcceptRanges = "bytes";
        ctx.Response.ContentType = "application/octet-stream";
        if (range.Length > 0 && !hub.Faults.IgnoreRange && TryParseRange(range, size, out start, out end))
        {
            if (start >= size)
            {
                ctx.Response.StatusCode = 416;
                ctx.Response.Headers.ContentRange = $"bytes */{size}";
                return;
            }
            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = $"bytes {start}-{end}/{size}";
        }
        var length = end - start + 1;
        ctx.Response.ContentLength = length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;

        var drop = hub.Faults.TakeDrop();
        var throttle = hub.Faults.ThrottleBytesPerSecond;
        var corrupt = hub.Faults.Corrupts(repoFile.Path);
        if (drop is null && throttle == 0 && !corrupt)
        {
            await ctx.Response.SendFileAsync(diskPath, start, length, ctx.RequestAborted);
            hub.AddBytes(length);
            return;
        }
        var limit = drop is { } d ? Math.Min(d, length) : length;
        await using var file = new FileStream(diskPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        file.Position = start;
        var buf = new byte[64 * 1024];
        var sent = 0L;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var aborted = ctx.RequestAborted;
        while (sent < limit && !aborted.IsCancellationRequested)
        {
            var n = await file.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, limit - sent)));
            if (n == 0) break;
            if (corrupt && sent == 0) buf[0] ^= 0xFF;
            await ctx.Response.Body.WriteAsync(buf.AsMemory(0, n), aborted);
            sent += n;
            hub.AddBytes(n);
            if (throttle > 0)
            {
                var due = TimeSpan.FromSeconds((double)sent / throttle) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, aborted);
            }
        }
        if (drop is not null)
        {
            await ctx.Response.Body.FlushAsync();
            ctx.Abort();
        }
    }

    // "bytes=a-", "bytes=a-b" or "bytes=-n" (one range only, as download clients send).
    private static bool TryParseRange(string header, long size, out long start, out long end)
    {
        start = 0;
        end = size - 1;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',')) return false;
        var spec = header[6..].Split('-');
        if (spec.Length != 2) return false;
        var inv = CultureInfo.InvariantCulture;
        if (spec[0].Length == 0)
        {
            if (!long.TryParse(spec[1], inv, out var suffix)) return false;
            start = Math.Max(0, size - suffix);
            return true;
        }
        if (!long.TryParse(spec[0], inv, out start)) return false;
        if (spec[1].Length > 0 && long.TryParse(spec[1], inv, out var e)) end = Math.Min(e, size - 1);
        return true;
    }
}
