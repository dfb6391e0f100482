using OnnxBuildTasks.Locking;

namespace OnnxBuildTasks.Tests.Commands;

public class LockCommandTests
{
    private static void WriteProject(string dir, params string[] items) => File.WriteAllText(Path.Combine(dir, "app.csproj"), $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <ItemGroup>
            {string.Join("\n    ", items)}
          </ItemGroup>
        </Project>
        """);

    [Fact]
    public async Task WritesTheLockThenHonoursItAndLockedModeRefusesChanges()
    {
        await using var env = await ToolHubEnv.StartAsync();
        var project = Path.Combine(env.Dir, "app");
        Directory.CreateDirectory(project);
        WriteProject(project, """<OnnxModel Include="org/tiny-bert" File="onnx/model.onnx" />""", """<OnnxModel Include="local.onnx" />""");

        var first = await ToolRun.RunAsync(project, env.Env(), "lock");
        Assert.True(first.ExitCode == 0, first.All);
        var lockPath = Path.Combine(project, LockFile.DefaultFileName);
        var entry = LockFile.Read(lockPath).Models["org/tiny-bert#onnx/model.onnx"];
        Assert.Equal("onnx/model.onnx", Assert.Single(entry.Files).Path);
        var stamp = File.GetLastWriteTimeUtc(lockPath);

        env.Hub.ResetCounters();
        var locked = await ToolRun.RunAsync(project, env.Env(), "lock", "--locked");
        Assert.True(locked.ExitCode == 0, locked.All);
        Assert.Equal(0, env.Hub.RequestCount);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(lockPath));

        WriteProject(project, """<OnnxModel Include="org/tiny-bert" File="onnx/model.onnx" />""", """<OnnxModel Include="org/big"><File>model.onnx</File></OnnxModel>""");
        var refused = await ToolRun.RunAsync(project, env.Env(), "lock", "--locked");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error OBT1102:", refused.Stderr);
        Assert.Contains("org/big", refused.Stderr);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(lockPath));

        var updated = await ToolRun.RunAsync(project, env.Env(), "lock", "--update");
        Assert.True(updated.ExitCode == 0, updated.All);
        Assert.Equal(["org/big#model.onnx", "org/tiny-bert#onnx/model.onnx"], LockFile.Read(lockPath).Models.Keys);
    }
}
