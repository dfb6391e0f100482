using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class HubSettingsTests
{
    [Fact]
    public void ReadsTheEnvironmentAsHuggingFaceHubDoes()
    {
        using var dir = Fixtures.NewTempDir();
        File.WriteAllText(dir.Combine("token"), "hf_fromfile\n");
        var env = new Dictionary<string, string?> { ["HF_HOME"] = dir.FullPath, ["HF_ENDPOINT"] = "http://127.0.0.1:1234", ["HF_HUB_OFFLINE"] = "yes" };

        var s = HubSettings.FromEnvironment(env: k => env.GetValueOrDefault(k));

        Assert.Equal("hf_fromfile", s.Token);
        Assert.Equal(new Uri("http://127.0.0.1:1234/"), s.Endpoint);
        Assert.True(s.Offline);
        Assert.Equal(Path.Combine(dir.FullPath, "hub"), s.CacheDir);
    }

    [Fact]
    public void ExplicitValuesWinOverTheEnvironment()
    {
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = "/home/u", ["HF_TOKEN"] = "hf_env", ["HF_HUB_CACHE"] = "/c/hub", ["HF_ENDPOINT"] = "http://a", ["HF_HUB_OFFLINE"] = "1",
        };

        var s = HubSettings.FromEnvironment("http://b:5/", offline: false, env: k => env.GetValueOrDefault(k));

        Assert.Equal("hf_env", s.Token);
        Assert.Equal(new Uri("http://b:5/"), s.Endpoint);
        Assert.False(s.Offline);
        Assert.Equal("/c/hub", s.CacheDir);
    }

    [Fact]
    public void DefaultsToTheUserCacheAndThePublicHub()
    {
        var s = HubSettings.FromEnvironment(env: k => k == "HOME" ? "/home/u" : null);
        Assert.Equal("/home/u/.cache/huggingface/hub", s.CacheDir);
        Assert.Equal(HubSettings.DefaultEndpoint, s.Endpoint);
        Assert.False(s.HasToken);
    }

    [Fact]
    public void ToStringNeverShowsTheToken()
    {
        var s = new HubSettings(new Uri("http://x"), "hf_supersecret", false, "/tmp/c");
        Assert.DoesNotContain("hf_supersecret", s.ToString());
        Assert.Contains("token=(set)", s.ToString());
    }
}
