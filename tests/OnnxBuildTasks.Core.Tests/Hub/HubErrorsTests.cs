using System.Net;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class HubErrorsTests
{
    private static readonly HubSettings Anonymous = new(new Uri("http://hub.test"), null, false, "/tmp/c");
    private static readonly HubSettings WithToken = new(new Uri("http://hub.test"), "hf_secret_x", false, "/tmp/c");

    [Theory]
    [InlineData(401, "RepoNotFound", false, null, ErrorCodes.HubRepoNotFound)]
    [InlineData(404, "RepoNotFound", true, null, ErrorCodes.HubRepoNotFound)]
    [InlineData(401, "GatedRepo", false, "a.bin", ErrorCodes.HubGatedRepo)]
    [InlineData(403, "GatedRepo", true, "a.bin", ErrorCodes.HubGatedRepo)]
    [InlineData(404, "RevisionNotFound", false, null, ErrorCodes.HubRevisionNotFound)]
    [InlineData(404, "EntryNotFound", false, "a.bin", ErrorCodes.HubEntryNotFound)]
    [InlineData(403, "DisabledRepo", false, null, ErrorCodes.HubForbidden)]
    [InlineData(401, null, true, null, ErrorCodes.HubInvalidToken)]
    [InlineData(401, null, false, null, ErrorCodes.HubRepoNotFound)]
    [InlineData(404, null, false, "a.bin", ErrorCodes.HubEntryNotFound)]
    [InlineData(403, null, true, null, ErrorCodes.HubForbidden)]
    [InlineData(418, null, false, null, ErrorCodes.HubBadResponse)]
    public void StatusAndErrorCodeMapToCodedErrors(int status, string? errorCode, bool token, string? file, string expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (errorCode is not null) response.Headers.Add("X-Error-Code", errorCode);
        var e = Assert.Throws<OnnxBuildException>(() =>
            HubErrors.ThrowIfError(response, new HubTarget("org/m", "main", file), token ? WithToken : Anonymous));
        Assert.Equal(expected, e.Code);
        Assert.DoesNotContain("hf_secret_x", e.Message);
    }

    [Theory]
    [InlineData(429, ErrorCodes.HubRateLimited)]
    [InlineData(500, ErrorCodes.HubServerError)]
    [InlineData(503, ErrorCodes.HubServerError)]
    [InlineData(408, ErrorCodes.HubServerError)]
    public void ThrottlingAndServerFailuresAreRetried(int status, string code)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        var e = Assert.Throws<TransientHubException>(() => HubErrors.ThrowIfError(response, new HubTarget("org/m", "main"), Anonymous));
        Assert.Equal(code, e.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), e.RetryAfter);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(206)]
    [InlineData(302)]
    [InlineData(416)]
    public void SuccessRedirectAndRangeNotSatisfiableAreNotErrors(int status)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        HubErrors.ThrowIfError(response, new HubTarget("org/m", "main"), Anonymous);
    }

    [Fact]
    public async Task StalledDownloadTimesOutResumesAndFinallyReportsUnreachable()
    {
        await using var env = await HubTestEnv.StartAsync(root => new HubServer.HubRepoBuilder(root, "org/slow")
            .Commit("v1", new Dictionary<string, byte[]> { ["model.onnx"] = new byte[300_000] }).Save());
        env.Hub.Faults.ThrottleBytesPerSecond = 20_000;   // 64 KB arrive, then nothing for seconds
        var retry = HubTestEnv.FastRetry with { IdleTimeout = TimeSpan.FromMilliseconds(400), MaxAttempts = 2 };
        var fetcher = new HubFetcher(new HubClient(env.Settings(), retry));

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => fetcher.FetchAsync(new HubFetchRequest("org/slow") { Files = ["model.onnx"] }));

        Assert.Equal(ErrorCodes.HubUnreachable, e.Code);
        Assert.Contains("model.onnx", e.Message);
        Assert.Contains(env.Hub.RequestLog, l => l.Contains("Range: bytes=", StringComparison.Ordinal));   // the second attempt resumed
    }
}
