using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Tests.Sources;

/// <summary>
/// Credential-provider plugins, for real: NUGET_PLUGIN_PATHS points at tests/OnnxBuildTasks.NuGetTestPlugin (built
/// with the tests), which NuGet.Protocol starts and speaks the plugin protocol with.
/// </summary>
public class NuGetCredentialServiceTests
{
    private const string Password = "plugin-s3cret-pw";

    // The plugin process outlives one test (NuGet keeps it for the run), so every test of this process shares one
    // answers folder and writes the file for its own feed's port.
    private static readonly string Answers = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), $"obt-nuget-plugin-answers-{Environment.ProcessId}")).FullName;

    static NuGetCredentialServiceTests() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Answers, true);

    private static readonly string PluginPath = Path.Combine(AppContext.BaseDirectory, "OnnxBuildTasks.NuGetTestPlugin.dll");

    [Fact]
    public async Task APluginsCredentialsFetchThePackageWithoutPackageSourceCredentials()
    {
        await using var feed = await StartFeedAsync();
        using var dir = ProjectUsing(feed);
        var port = new Uri(feed.ServiceIndex).Port;
        File.WriteAllLines(Path.Combine(Answers, $"{port}.txt"), ["alice", Password]);

        var r = await FetchWithPluginAsync(dir, "item");

        Assert.Equal(NuGetSourceTests.Model, File.ReadAllBytes(r.FilePath));
        Assert.True(feed.UnauthorizedCount > 0); // the anonymous request was refused; the plugin's credentials were not
        Assert.Equal(["isRetry=False nonInteractive=True canShowDialog=False"], File.ReadAllLines(Path.Combine(Answers, $"{port}.log")));
    }

    [Fact]
    public async Task APluginsWrongCredentialsGiveTheCoded401WithoutThePassword()
    {
        await using var feed = await StartFeedAsync();
        using var dir = ProjectUsing(feed);
        var port = new Uri(feed.ServiceIndex).Port;
        File.WriteAllLines(Path.Combine(Answers, $"{port}.txt"), ["alice", "wrong-" + Password]);

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => FetchWithPluginAsync(dir, "OnnxModel 'nuget:Some.Models/1.2.0'"));

        Assert.Equal(ErrorCodes.NuGetSourceFailed, e.Code);
        Assert.Contains("401", e.Message);
        Assert.Contains("credential provider", e.Message);
        Assert.DoesNotContain(Password, e.ToString());
        // Asked once, then once more saying the first answer was refused; never interactive.
        Assert.Equal(["isRetry=False nonInteractive=True canShowDialog=False", "isRetry=True nonInteractive=True canShowDialog=False"],
            File.ReadAllLines(Path.Combine(Answers, $"{port}.log")));
        Assert.True(feed.UnauthorizedCount >= 3);
    }

    [Fact]
    public async Task APluginThatDoesNotKnowTheFeedLeavesTheCoded401()
    {
        await using var feed = await StartFeedAsync();
        using var dir = ProjectUsing(feed);

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() => FetchWithPluginAsync(dir, "item"));

        Assert.Equal(ErrorCodes.NuGetSourceFailed, e.Code);
        Assert.Single(File.ReadAllLines(Path.Combine(Answers, $"{new Uri(feed.ServiceIndex).Port}.log")));
    }

    // A feed that asks for alice's password and serves Some.Models 1.2.0.
    private static Task<LocalNuGetFeed> StartFeedAsync() =>
        LocalNuGetFeed.StartAsync("alice", Password, ("Some.Models", "1.2.0", NuGetSourceTests.Package()));

    // A temp folder holding a NuGet.Config for the feed (without credentials) and an empty project folder.
    private static TempDir ProjectUsing(LocalNuGetFeed feed)
    {
        var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("project"));
        NuGetSourceTests.WriteNuGetConfig(dir, feed.ServiceIndex);
        return dir;
    }

    // Fetches the feed's model for the project with the test credential plugin installed.
    private static Task<NuGetFetchResult> FetchWithPluginAsync(TempDir dir, string itemName) =>
        WithPluginAsync(() => new NuGetSource(new LockSession(null, false))
            .FetchAsync("nuget:Some.Models/1.2.0", "models/model.onnx", dir.Combine("project"), false, itemName));

    private static async Task<T> WithPluginAsync<T>(Func<Task<T>> run)
    {
        Assert.True(File.Exists(PluginPath), $"the test plugin is built beside the tests: {PluginPath}");
        var saved = (Environment.GetEnvironmentVariable("NUGET_PLUGIN_PATHS"), Environment.GetEnvironmentVariable("OBT_TEST_PLUGIN_ANSWERS"));
        Environment.SetEnvironmentVariable("NUGET_PLUGIN_PATHS", PluginPath);
        Environment.SetEnvironmentVariable("OBT_TEST_PLUGIN_ANSWERS", Answers);
        try
        {
            return await run();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NUGET_PLUGIN_PATHS", saved.Item1);
            Environment.SetEnvironmentVariable("OBT_TEST_PLUGIN_ANSWERS", saved.Item2);
        }
    }
}
