using System.Diagnostics;
using System.Reflection;
using OnnxBuildTasks.HubServer;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.Integration;

/// <summary>
/// `dotnet build` of a project whose OnnxModel is a gated Hub repo served by the local Hub, taking
/// onnx/model.onnx with File metadata. Needs eng/pack.sh to have run (eng/test.sh does).
/// </summary>
public class HubModelBuildTests
{
    private const string Token = "hf_INTEGRATIONSECRET_51ab";

    private static string RepoRoot => typeof(HubModelBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public async Task BuildTakesTheOnnxFileFromTheHubLocksItAndTheNextBuildMakesNoRequest()
    {
        var packages = Path.Combine(RepoRoot, "artifacts", "packages");
        var versionFile = Path.Combine(packages, "version.txt");
        Assert.True(File.Exists(versionFile), $"{versionFile} is missing: run eng/pack.sh first (eng/test.sh does).");
        var version = File.ReadAllText(versionFile).Trim();

        using var dir = Fixtures.NewTempDir();
        var bert = Fixtures.Path("hf-tiny", "bert-token-classification");
        var files = new[] { "config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" }
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(bert, f)));
        files["onnx/model.onnx"] = File.ReadAllBytes(Path.Combine(bert, "reference.onnx"));
        var repo = new HubRepoBuilder(dir.Combine("repos"), "org/tiny-bert").Commit("v1", files);
        repo.Manifest.Gated = true;
        repo.Manifest.Tokens.Add(Token);
        repo.Save();
        await using var hub = await LocalHub.StartAsync(dir.Combine("repos"));

        var project = dir.Combine("app");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <OnnxHubEndpoint>{hub.Endpoint}</OnnxHubEndpoint>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OnnxBuildTasks" Version="{version}" PrivateAssets="all" />
                <OnnxModel Include="org/tiny-bert" File="onnx/model.onnx" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"hi\");\n");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <configuration>
              <packageSources><clear /><add key="local" value="{packages}" /></packageSources>
            </configuration>
            """);

        var first = await Build(project, dir);
        Assert.True(first.ExitCode == 0, first.Output);
        var outDir = Path.Combine(project, "bin", "Debug", "net10.0", "models", "tiny-bert");
        Assert.Equal(files["onnx/model.onnx"], File.ReadAllBytes(Path.Combine(outDir, "model.onnx")));
        Assert.Equal(files["vocab.txt"], File.ReadAllBytes(Path.Combine(outDir, "vocab.txt")));
        var lockText = File.ReadAllText(Path.Combine(project, "onnxmodels.lock.json"));
        Assert.Contains("\"org/tiny-bert#onnx/model.onnx\"", lockText);
        Assert.Equal(0, hub.CdnAuthorizationCount);

        hub.ResetCounters();
        var second = await Build(project, dir);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(0, hub.RequestCount);
        Assert.False(BuildLog.EngineStarted(second.Output), "the build after the one that wrote the lock must be a no-op:\n" + second.Output);

        // The lock changes outside a build (as `dotnet onnx lock --update` or a pull does): the next build
        // runs the engine again (still no request: the pin and the cache serve it), the one after is a no-op.
        var lockPath = Path.Combine(project, "onnxmodels.lock.json");
        File.SetLastWriteTimeUtc(lockPath, DateTime.UtcNow.AddSeconds(2));
        var afterLockChange = await Build(project, dir);
        Assert.True(afterLockChange.ExitCode == 0, afterLockChange.Output);
        Assert.True(BuildLog.EngineStarted(afterLockChange.Output), "a changed lock file must run the engine:\n" + afterLockChange.Output);
        Assert.Equal(0, hub.RequestCount);
        var settled = await Build(project, dir);
        Assert.True(settled.ExitCode == 0, settled.Output);
        Assert.False(BuildLog.EngineStarted(settled.Output), "the build after a lock change must be a no-op again:\n" + settled.Output);

        // Force the engine to run again: the lock pins the commit and the Hub cache is warm, so still no request.
        Directory.Delete(Path.Combine(project, "obj", "Debug"), recursive: true);
        Directory.Delete(Path.Combine(project, "bin"), recursive: true);
        var third = await Build(project, dir);
        Assert.True(third.ExitCode == 0, third.Output);
        Assert.Equal(0, hub.RequestCount);
        Assert.Equal(files["onnx/model.onnx"], File.ReadAllBytes(Path.Combine(outDir, "model.onnx")));
        Assert.DoesNotContain(Token, first.Output + second.Output + third.Output);
        foreach (var log in Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".onnx", StringComparison.Ordinal)))
            Assert.DoesNotContain(Token, File.ReadAllText(log));
    }

    private static async Task<(int ExitCode, string Output)> Build(string project, TempDir dir)
    {
        var psi = new ProcessStartInfo("dotnet", ["build", "-nologo", "-v:n", "-nodeReuse:false", "-p:UseSharedCompilation=false", "--disable-build-servers"])
        {
            WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["HF_TOKEN"] = Token;
        psi.Environment["HF_HUB_CACHE"] = dir.Combine("hf-cache");
        psi.Environment["HF_HOME"] = dir.Combine("hf-home");
        psi.Environment["ONNXBUILD_CACHE"] = dir.Combine("onnx-cache");
        psi.Environment["NUGET_PACKAGES"] = dir.Combine("nuget-packages");
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG" })
            psi.Environment.Remove(name);   // the test host's MSBuild settings must not leak into the build under test
        psi.Environment.Remove("HF_ENDPOINT");
        psi.Environment.Remove("HF_HUB_OFFLINE");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (p.ExitCode, await stdout + await stderr);
    }
}
