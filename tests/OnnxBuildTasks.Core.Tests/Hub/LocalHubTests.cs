using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OnnxBuildTasks.Tests.Hub;

/// <summary>The local Hub speaks the Hub protocol as huggingface_hub expects it (checked with a bare HttpClient).</summary>
public class LocalHubTests
{
    private static HttpClient Client(string? token = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? v.Single() : r.Content.Headers.GetValues(name).Single();

    [Fact]
    public async Task LfsFilesRedirectToTheCdnWithLinkedEtagAndSize()
    {
        await using var env = await HubTestEnv.StartAsync();
        using var http = Client();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(env.Hub.Endpoint, "org/tiny-bert/resolve/main/model.safetensors")));

        Assert.Equal(HttpStatusCode.Found, head.StatusCode);
        Assert.Equal(env.CommitOf("org/tiny-bert", "v2"), Header(head, "X-Repo-Commit"));
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(HubTestEnv.Bert("model.safetensors")));
        Assert.Equal($"\"{sha256}\"", Header(head, "X-Linked-Etag"));
        Assert.Equal(HubTestEnv.Bert("model.safetensors").Length.ToString(), Header(head, "X-Linked-Size"));
        Assert.Equal(env.Hub.CdnEndpoint.Authority, head.Headers.Location!.Authority);

        using var cdn = await http.GetAsync(head.Headers.Location);
        Assert.Equal(HubTestEnv.Bert("model.safetensors"), await cdn.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RegularFilesCarryTheirGitBlobIdAndHonourRange()
    {
        await using var env = await HubTestEnv.StartAsync();
        using var http = Client();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(env.Hub.Endpoint, "org/tiny-bert/resolve/v1.0/vocab.txt"));
        request.Headers.Range = new RangeHeaderValue(10, null);
        using var r = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, r.StatusCode);
        var vocab = HubTestEnv.Bert("vocab.txt");
        Assert.Equal(vocab[10..], await r.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 10-{vocab.Length - 1}/{vocab.Length}", r.Content.Headers.ContentRange!.ToString());
        var header = System.Text.Encoding.ASCII.GetBytes($"blob {vocab.Length}\0");
        var gitSha1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData([.. header, .. vocab]));
        Assert.Equal($"\"{gitSha1}\"", r.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task RevisionAndTreeApisListFilesWithHashes()
    {
        await using var env = await HubTestEnv.StartAsync();
        using var http = Client();
        using var info = JsonDocument.Parse(await http.GetStringAsync(new Uri(env.Hub.Endpoint, "api/models/org/tiny-bert/revision/v1.0?blobs=true")));
        using var tree = JsonDocument.Parse(await http.GetStringAsync(new Uri(env.Hub.Endpoint, "api/models/org/tiny-bert/tree/main/onnx?recursive=true")));

        Assert.Equal(env.CommitOf("org/tiny-bert", "v1"), info.RootElement.GetProperty("sha").GetString());
        var siblings = info.RootElement.GetProperty("siblings").EnumerateArray().ToDictionary(s => s.GetProperty("rfilename").GetString()!);
        Assert.True(siblings["model.safetensors"].TryGetProperty("lfs", out var lfs));
        Assert.Equal(64, lfs.GetProperty("sha256").GetString()!.Length);
        Assert.False(siblings["config.json"].TryGetProperty("lfs", out _));
        var entry = Assert.Single(tree.RootElement.EnumerateArray());
        Assert.Equal("onnx/model.onnx", entry.GetProperty("path").GetString());
        Assert.Equal("file", entry.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("org/gated/resolve/main/config.json", null, 401, "GatedRepo")]
    [InlineData("org/gated/resolve/main/config.json", "hf_other", 403, "GatedRepo")]
    [InlineData("org/gated/resolve/main/config.json", HubTestEnv.Token, 200, null)]
    [InlineData("org/private/resolve/main/config.json", null, 401, "RepoNotFound")]
    [InlineData("org/private/resolve/main/config.json", "hf_other", 404, "RepoNotFound")]
    [InlineData("org/tiny-bert/resolve/refs%2Fpr%2F9/config.json", null, 404, "RevisionNotFound")]
    [InlineData("org/tiny-bert/resolve/main/nope.json", null, 404, "EntryNotFound")]
    [InlineData("api/models/org/gated/revision/main", null, 200, null)]
    public async Task AccessRulesAndErrorCodesMatchTheHub(string path, string? token, int status, string? errorCode)
    {
        await using var env = await HubTestEnv.StartAsync();
        using var http = Client(token);
        using var r = await http.GetAsync(new Uri(env.Hub.Endpoint, path));

        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal(errorCode, r.Headers.TryGetValues("X-Error-Code", out var v) ? v.Single() : null);
    }

    [Fact]
    public async Task InjectedFaultsAndCountersWork()
    {
        await using var env = await HubTestEnv.StartAsync();
        using var http = Client();
        var url = new Uri(env.Hub.Endpoint, "org/tiny-bert/resolve/main/vocab.txt");
        env.Hub.Faults.Fail503();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);

        env.Hub.Faults.IgnoreRange = true;
        var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(5, null);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ranged)).StatusCode);

        env.Hub.Faults.DropAfter(100);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetByteArrayAsync(url));
        Assert.Equal(4, env.Hub.RequestCount);
    }
}
