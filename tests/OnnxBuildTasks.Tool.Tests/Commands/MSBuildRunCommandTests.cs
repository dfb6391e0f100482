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
}
