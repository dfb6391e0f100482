using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tests.Commands;

public sealed class MSBuildRunCommandTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    private string Request(params (string Spec, string Key)[] items)
    {
        var path = _dir.Combine("obj", "engine-request.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var request = new
        {
            projectFile = _dir.Combine("app.csproj"),
            projectDirectory = _dir.FullPath,
            cacheDir = _dir.Combine("cache"),
            items = items.Select(i => new
            {
                itemSpec = i.Spec,
                outputRoot = _dir.Combine("obj", "out"),
                fileList = _dir.Combine("obj", i.Key + ".files"),
                metadata = new Dictionary<string, string> { ["Validate"] = "true" },
            }),
        };
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(request));
        return path;
    }

    [Fact]
    public void IsHiddenFromHelp()
    {
        var (exit, output, _) = ToolRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.DoesNotContain("msbuild-run", output);
    }

    [Fact]
    public void ProducesEveryGoodItemAndPrintsOneCanonicalLinePerFailure()
    {
        Directory.CreateDirectory(_dir.Combine("models"));
        File.Copy(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"), _dir.Combine("models", "ok.onnx"));
        File.WriteAllBytes(_dir.Combine("models", "bad.onnx"), [0x0a, 0xff, 0xff]);

        var (exit, output, error) = ToolRunner.Run("msbuild-run", Request(("models/bad.onnx", "b"), ("models/ok.onnx", "a")));

        Assert.Equal(1, exit);
        Assert.StartsWith("OnnxBuildTasks engine ", output);
        Assert.Contains("OnnxModel 'models/ok.onnx' -> ok/ (model.onnx)", output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"{_dir.Combine("app.csproj")}: error {ErrorCodes.OnnxFileUnreadable}: OnnxModel 'models/bad.onnx': ", line);
        Assert.Equal(["ok/model.onnx"], File.ReadAllLines(_dir.Combine("obj", "a.files")));
        Assert.False(File.Exists(_dir.Combine("obj", "b.files")));
    }

    [Fact]
    public void AMissingRequestIsCoded()
    {
        var (exit, _, error) = ToolRunner.Run("msbuild-run", _dir.Combine("nope.json"));
        Assert.Equal(1, exit);
        Assert.StartsWith($"error {ErrorCodes.EngineRequestInvalid}:", error);
    }

    [Fact]
    public void TwoEngineProcessesAtOnceShareOneCacheEntryAndBothSucceed()
    {
        Directory.CreateDirectory(_dir.Combine("models"));
        File.Copy(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"), _dir.Combine("models", "m.onnx"));
        var request = Request(("models/m.onnx", "a"));
        var second = _dir.Combine("obj", "engine-request-2.json");
        File.WriteAllText(second, File.ReadAllText(request)
            .Replace(_dir.Combine("obj", "out") + "\"", _dir.Combine("obj", "out2") + "\"", StringComparison.Ordinal)
            .Replace("a.files", "b.files", StringComparison.Ordinal));
        var engine = typeof(OnnxBuildTasks.Tool.Commands.MSBuildRunCommand).Assembly.Location;

        var processes = new[] { request, second }.Select(r =>
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { engine, "msbuild-run", r }) start.ArgumentList.Add(arg);
            return System.Diagnostics.Process.Start(start)!;
        }).ToList();
        var outputs = processes.Select(p => p.StandardOutput.ReadToEndAsync()).ToList();
        var errors = processes.Select(p => p.StandardError.ReadToEndAsync()).ToList();
        foreach (var p in processes) Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.All(processes, p => Assert.Equal(0, p.ExitCode));
        Assert.All(errors, e => Assert.Empty(e.Result));
        var entries = Directory.GetDirectories(_dir.Combine("cache", "models", "v1"));
        Assert.Single(entries);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Combine("cache", "tmp")));
        Assert.Single(outputs, o => o.Result.Contains("[cached]", StringComparison.Ordinal));
        Assert.True(File.Exists(_dir.Combine("obj", "out", "m", "model.onnx")));
        Assert.True(File.Exists(_dir.Combine("obj", "out2", "m", "model.onnx")));
        foreach (var p in processes) p.Dispose();
    }
}
