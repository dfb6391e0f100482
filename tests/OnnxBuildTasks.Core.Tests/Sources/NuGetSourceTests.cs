using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Tests.Sources;

public class NuGetSourceTests
{
    internal static readonly byte[] Model = File.ReadAllBytes(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"));

    internal static byte[] Package(string version = "1.2.0") =>
        LocalNuGetFeed.Nupkg("Some.Models", version, new Dictionary<string, byte[]> { ["models/model.onnx"] = Model, ["readme.txt"] = "hi"u8.ToArray() });

    internal static void WriteNuGetConfig(TempDir dir, string source, string? credentials = null) => File.WriteAllText(dir.Combine("project", "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config><add key="globalPackagesFolder" value="{dir.Combine("gpf")}" /></config>
          <packageSources><clear /><add key="testfeed" value="{source}" /></packageSources>
          {credentials}
        </configuration>
        """);

    [Fact]
    public async Task TakesTheFileFromALocalFolderFeedIntoTheGlobalPackagesFolder()
    {
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("feed"));
        Directory.CreateDirectory(dir.Combine("project"));
        File.WriteAllBytes(dir.Combine("feed", "some.models.1.2.0.nupkg"), Package());
        WriteNuGetConfig(dir, dir.Combine("feed"));
        var lockPath = dir.Combine("project", LockFile.DefaultFileName);

        var r = await new NuGetSource(new LockSession(lockPath, false)).FetchAsync("nuget:Some.Models/1.2.0", "models/model.onnx", dir.Combine("project"), false, "item");

        Assert.Equal(dir.Combine("gpf", "some.models", "1.2.0", "models", "model.onnx"), r.FilePath);
        Assert.Equal(Model, File.ReadAllBytes(r.FilePath));
        Assert.True(File.Exists(dir.Combine("gpf", "some.models", "1.2.0", "some.models.1.2.0.nupkg.sha512")));
        var entry = LockFile.Read(lockPath).Models["nuget:Some.Models/1.2.0#models/model.onnx"];
        Assert.Equal(("nuget", "1.2.0", r.Sha256), (entry.Source, entry.Version, entry.Files.Single().Sha256));

        // Installed: offline works, and the feed is not needed any more.
        Directory.Delete(dir.Combine("feed"), true);
        var again = await new NuGetSource(new LockSession(lockPath, true)).FetchAsync("nuget:Some.Models/1.2.0", "models/model.onnx", dir.Combine("project"), true, "item");
        Assert.Equal(r.Sha256, again.Sha256);
    }

    [Fact]
    public async Task UsesPackageSourceCredentialsFromNuGetConfig()
    {
        await using var feed = await LocalNuGetFeed.StartAsync("alice", "s3cret-pw", ("Some.Models", "1.2.0", Package()));
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("project"));
        WriteNuGetConfig(dir, feed.ServiceIndex, """
            <packageSourceCredentials><testfeed>
              <add key="Username" value="alice" /><add key="ClearTextPassword" value="s3cret-pw" />
            </testfeed></packageSourceCredentials>
            """);

        var r = await new NuGetSource(new LockSession(null, false)).FetchAsync("nuget:Some.Models/1.2.0", "models/model.onnx", dir.Combine("project"), false, "item");

        Assert.Equal(Model, File.ReadAllBytes(r.FilePath));
    }

    [Fact]
    public async Task WrongCredentialsFailWithACodeAndNoPassword()
    {
        await using var feed = await LocalNuGetFeed.StartAsync("alice", "s3cret-pw", ("Some.Models", "1.2.0", Package()));
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("project"));
        WriteNuGetConfig(dir, feed.ServiceIndex, """
            <packageSourceCredentials><testfeed>
              <add key="Username" value="alice" /><add key="ClearTextPassword" value="wrong-pw" />
            </testfeed></packageSourceCredentials>
            """);

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            new NuGetSource(new LockSession(null, false)).FetchAsync("nuget:Some.Models/1.2.0", "models/model.onnx", dir.Combine("project"), false, "OnnxModel 'nuget:Some.Models/1.2.0'"));

        Assert.Equal(ErrorCodes.NuGetSourceFailed, e.Code);
        Assert.Contains("packageSourceCredentials", e.Message);
        Assert.DoesNotContain("wrong-pw", e.ToString());
        Assert.True(feed.UnauthorizedCount > 0);
    }

    [Theory]
    [InlineData("nuget:Some.Models/1.2.0", "../../../etc/passwd", ErrorCodes.SourceFilePathInvalid)]
    [InlineData("nuget:Some.Models/1.2.0", "models/missing.onnx", ErrorCodes.NuGetFileNotInPackage)]
    [InlineData("nuget:Some.Models/9.9.9", "models/model.onnx", ErrorCodes.NuGetPackageNotFound)]
    [InlineData("nuget:Some.Models", "models/model.onnx", ErrorCodes.SourceNuGetSpecInvalid)]
    [InlineData("nuget:Some.Models/1.2.0", null, ErrorCodes.SourceNuGetFileMissing)]
    public async Task BadSpecsAndPathsGiveCodes(string spec, string? file, string code)
    {
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("feed"));
        Directory.CreateDirectory(dir.Combine("project"));
        File.WriteAllBytes(dir.Combine("feed", "some.models.1.2.0.nupkg"), Package());
        WriteNuGetConfig(dir, dir.Combine("feed"));

        var e = await Assert.ThrowsAsync<OnnxBuildException>(() =>
            new NuGetSource(new LockSession(null, false)).FetchAsync(spec, file, dir.Combine("project"), false, "item"));

        Assert.Equal(code, e.Code);
    }
}
