using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class HubFetcherErrorTests
{
    [Theory]
    [InlineData("org/missing", "main", null, null, ErrorCodes.HubRepoNotFound, "HF_TOKEN")]
    [InlineData("org/private", "main", null, null, ErrorCodes.HubRepoNotFound, "HF_TOKEN")]
    [InlineData("org/private", "main", null, "hf_wrong", ErrorCodes.HubRepoNotFound, "no access")]
    [InlineData("org/gated", "main", null, null, ErrorCodes.HubGatedRepo, "Accept its conditions")]
    [InlineData("org/gated", "main", null, "hf_wrong", ErrorCodes.HubGatedRepo, "not been granted")]
    [InlineData("org/tiny-bert", "no-such-branch", null, null, ErrorCodes.HubRevisionNotFound, "no-such-branch")]
    [InlineData("org/tiny-bert", "main", "onnx/missing.onnx", null, ErrorCodes.HubEntryNotFound, "onnx/missing.onnx")]
    [InlineData("org/tiny-bert", "main", null, HubTestEnv.Token, ErrorCodes.HubNoCheckpoint, "config.json")]
    public async Task FailuresGiveCodesThatSayWhatToDo(string repo, string revision, string? file, string? token, string code, string advice)
    {
        await using var env = await HubTestEnv.StartAsync(root => File.Delete(Path.Combine(root, "org", "tiny-bert", "v2", "config.json")));
        var request = new HubFetchRequest(repo, revision) { Files = file is null ? null : [file] };

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => env.Fetcher(token: token).FetchAsync(request));

        Assert.Equal(code, e.Code);
        Assert.Contains(repo, e.Message);
        Assert.Contains(advice, e.Message);
        Assert.DoesNotContain(HubTestEnv.Token, e.ToString());
    }

    [Theory]
    [InlineData("org/private")]
    [InlineData("org/gated")]
    public async Task TokenOpensPrivateAndGatedReposAndNeverReachesTheCdn(string repo)
    {
        await using var env = await HubTestEnv.StartAsync();
        var result = await env.Fetcher(token: HubTestEnv.Token).FetchAsync(new HubFetchRequest(repo));

        Assert.Equal(5, result.Files.Count);
        Assert.True(env.Hub.CdnRequestCount > 0);
        Assert.Equal(0, env.Hub.CdnAuthorizationCount);
    }

    [Fact]
    public async Task MissingFileIsRecordedAsNoExist()
    {
        await using var env = await HubTestEnv.StartAsync();
        await Assert.ThrowsAsync<OnnxBuildException>(() =>
            env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert") { Files = ["nope.onnx"] }));

        var commit = env.CommitOf("org/tiny-bert", "v2");
        Assert.True(File.Exists(Path.Combine(env.CacheDir, "models--org--tiny-bert", ".no_exist", commit, "nope.onnx")));
        env.Hub.ResetCounters();
        var again = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            env.Fetcher().FetchAsync(new HubFetchRequest("org/tiny-bert", commit) { Files = ["nope.onnx"] }));
        Assert.Equal(ErrorCodes.HubEntryNotFound, again.Code);
        Assert.Equal(0, env.Hub.RequestCount);
    }

    [Fact]
    public async Task UnreachableHubIsRetriedThenReported()
    {
        var settings = new HubSettings(new Uri("http://127.0.0.1:9"), HubTestEnv.Token, false, Path.GetTempPath());
        var fetcher = new HubFetcher(new HubClient(settings, HubTestEnv.FastRetry with { MaxAttempts = 2 }));

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => fetcher.FetchAsync(new HubFetchRequest("org/x")));

        Assert.Equal(ErrorCodes.HubUnreachable, e.Code);
        Assert.Contains("HF_ENDPOINT", e.Message);
        Assert.DoesNotContain(HubTestEnv.Token, e.ToString());
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b/c")]
    [InlineData("org--x/y")]
    [InlineData("")]
    public async Task MalformedRepoIdIsRefusedBeforeAnyRequest(string repo)
    {
        await using var env = await HubTestEnv.StartAsync();
        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => env.Fetcher().FetchAsync(new HubFetchRequest(repo)));
        Assert.Equal(ErrorCodes.SourceRepoIdInvalid, e.Code);
        Assert.Equal(0, env.Hub.RequestCount);
    }
}
