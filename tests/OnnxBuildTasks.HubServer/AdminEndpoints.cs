using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OnnxBuildTasks.HubServer;

/// <summary>
/// Control endpoints for scripts and other processes (not counted as requests):
/// <c>GET /_admin/stats</c>, <c>POST /_admin/reset</c>, <c>POST /_admin/reload</c>,
/// <c>POST /_admin/faults?dropAfter=N&amp;drops=K&amp;fail503=K&amp;ignoreRange=true&amp;throttle=BPS&amp;corrupt=PATH&amp;listWithoutHashes=true</c>.
/// </summary>
internal static class AdminEndpoints
{
    public static async Task Handle(LocalHub hub, HttpContext ctx, string path)
    {
        var q = ctx.Request.Query;
        switch (path)
        {
            case "/_admin/stats":
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    requests = hub.RequestCount, cdnRequests = hub.CdnRequestCount,
                    cdnAuthorization = hub.CdnAuthorizationCount, bytesServed = hub.BytesServed, served503 = hub.Served503Count,
                }));
                return;
            case "/_admin/reset":
                hub.ResetCounters();
                hub.Faults.Clear();
                return;
            case "/_admin/reload":
                hub.Reload();
                return;
            case "/_admin/faults":
                if (long.TryParse(q["dropAfter"], out var dropAfter))
                    hub.Faults.DropAfter(dropAfter, int.TryParse(q["drops"], out var drops) ? drops : 1);
                if (int.TryParse(q["fail503"], out var fail)) hub.Faults.Fail503(fail);
                if (bool.TryParse(q["ignoreRange"], out var ignore)) hub.Faults.IgnoreRange = ignore;
                if (long.TryParse(q["throttle"], out var bps)) hub.Faults.ThrottleBytesPerSecond = bps;
                if (q["corrupt"].ToString() is { Length: > 0 } corrupt) hub.Faults.Corrupt(corrupt);
                if (bool.TryParse(q["listWithoutHashes"], out var bare)) hub.Faults.ListWithoutHashes = bare;
                return;
            default:
                ctx.Response.StatusCode = 404;
                return;
        }
    }
}
