using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.MSBuild.Tests;

public sealed class OnnxEngineTaskTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();
    private readonly MockBuildEngine _engine = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs nothing: records what ToolTask would start and replays scripted engine output.</summary>
    private sealed class RecordingTask : OnnxEngineTask
    {
        public string? PathToTool { get; private set; }

        public string? CommandLine { get; private set; }

        public string? ResponseFileText { get; private set; }

        public string? RequestText { get; private set; }

        public int Calls { get; private set; }

        public string[] EngineOutput { get; init; } = [];

        public int EngineExitCode { get; init; }

        protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
        {
            Calls++;
            PathToTool = pathToTool;
            ResponseFileText = responseFileCommands;
            CommandLine = commandLineCommands;
            RequestText = File.ReadAllText(RequestFile);
            foreach (var line in EngineOutput) LogEventsFromTextOutput(line, MessageImportance.Normal);
            return EngineExitCode;
        }
    }

    private RecordingTask NewTask(string[]? output = null, int exitCode = 0, params ITaskItem[] models)
    {
        var engine = _dir.Combine("tools", "engine", "dotnet-onnx.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(engine)!);
        File.WriteAllText(engine, "");
        return new RecordingTask
        {
            BuildEngine = _engine,
            EnginePath = engine,
            RequestFile = _dir.Combine("obj", "onnx", "engine request.json"),
            ProjectFile = "/src/app/app.csproj",
            ProjectDirectory = "/src/app",
            CacheDir = "/cache",
            Offline = "true",
            LockFile = "/src/app/onnxmodels.lock.json",
            LockedMode = "false",
            Models = models.Length > 0 ? models : [Model("models/a.onnx", ("Opset", "17"))],
            EngineOutput = output ?? [],
            EngineExitCode = exitCode,
        };
    }

    private static TaskItem Model(string spec, params (string Key, string Value)[] metadata)
    {
        var item = new TaskItem(spec);
        item.SetMetadata("_OnnxOutputRoot", "/src/app/obj/onnx/out/");
        item.SetMetadata("_OnnxFileList", "/src/app/obj/onnx/" + spec.Length + ".files");
        item.SetMetadata("CopyToOutputDirectory", "PreserveNewest");
        foreach (var (k, v) in metadata) item.SetMetadata(k, v);
        return item;
    }

    [Fact]
    public void RunsTheEngineDllThroughDotnetWithTheRequestAsResponseFile()
    {
        var task = NewTask();
        Assert.True(task.Execute());
        Assert.Equal(1, task.Calls);
        Assert.Equal($"\"{task.EnginePath}\" msbuild-run \"{task.RequestFile}\"", task.CommandLine!.Trim());
        Assert.True(string.IsNullOrEmpty(task.ResponseFileText));
        Assert.EndsWith(Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet", task.PathToTool);
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High && m.Message == "OnnxBuildTasks: producing 1 model(s): models/a.onnx");
    }

    [Fact]
    public void TheRequestCarriesSettingsAndTheEngineMetadataOnly()
    {
        var task = NewTask(models: [Model("models/\"odd\" name.onnx", ("Opset", "17"), ("Name", "x\\y\n\tz"))]);
        task.Execute();
        using var json = JsonDocument.Parse(task.RequestText!);
        var root = json.RootElement;
        Assert.Equal("/src/app/app.csproj", root.GetProperty("projectFile").GetString());
        Assert.Equal("/cache", root.GetProperty("cacheDir").GetString());
        Assert.Equal("true", root.GetProperty("offline").GetString());
        Assert.Equal("/src/app/onnxmodels.lock.json", root.GetProperty("lockFile").GetString());
        var item = root.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("models/\"odd\" name.onnx", item.GetProperty("itemSpec").GetString());
        Assert.Equal("/src/app/obj/onnx/out/", item.GetProperty("outputRoot").GetString());
        var metadata = item.GetProperty("metadata");
        Assert.Equal("17", metadata.GetProperty("Opset").GetString());
        Assert.Equal("x\\y\n\tz", metadata.GetProperty("Name").GetString());
        Assert.Equal(EngineRequestWriter.EngineMetadata, metadata.EnumerateObject().Select(p => p.Name));
        Assert.False(metadata.TryGetProperty("CopyToOutputDirectory", out _));
    }

    [Fact]
    public void NoSecretFromTheEnvironmentReachesTheCommandLineOrRequest()
    {
        Environment.SetEnvironmentVariable("HF_TOKEN", "hf_secret_value_123");
        try
        {
            var task = NewTask();
            task.Execute();
            Assert.DoesNotContain("hf_secret_value_123", task.CommandLine);
            Assert.DoesNotContain("hf_secret_value_123", task.RequestText);
            Assert.DoesNotContain(_engine.Log, l => l.Contains("hf_secret_value_123"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_TOKEN", null);
        }
    }

    [Fact]
    public void NoModelsStartsNothing()
    {
        var task = NewTask();
        task.Models = [];
        Assert.True(task.Execute());
        Assert.Equal(0, task.Calls);
        Assert.Empty(_engine.Log);
    }

    [Fact]
    public void AMissingEngineIsOBT1050AndStartsNothing()
    {
        var task = NewTask();
        task.EnginePath = _dir.Combine("nope", "dotnet-onnx.dll");
        Assert.False(task.Execute());
        Assert.Equal(0, task.Calls);
        Assert.StartsWith("ERROR OBT1050: The OnnxBuildTasks engine '", _engine.Log.Single(l => l.StartsWith("ERROR", StringComparison.Ordinal)));
    }

    [Fact]
    public void EngineLinesBecomeErrorsWarningsAndMessagesWithTheirCodes()
    {
        var task = NewTask(
        [
            "OnnxBuildTasks engine 1.0: 2 model(s)",
            "/src/app/app.csproj: error OBT1013: OnnxModel 'models/b.onnx': not a readable ONNX model {0} (x: y).",
            "C:\\src\\app\\app.csproj: error OBT6031: OnnxModel 'models/c.onnx': output 'logits' differs",
            "warning OBT2001: offline, served from cache",
            "error CS0001: not ours",
        ], exitCode: 1);
        Assert.False(task.Execute());
        Assert.Equal(
        [
            "ERROR OBT1013: OnnxModel 'models/b.onnx': not a readable ONNX model {0} (x: y). [/src/app/app.csproj]",
            "ERROR OBT6031: OnnxModel 'models/c.onnx': output 'logits' differs [C:\\src\\app\\app.csproj]",
            "WARNING OBT2001: offline, served from cache [/src/app/app.csproj]",
        ], _engine.Log.Where(l => !l.StartsWith("MESSAGE", StringComparison.Ordinal)));
        Assert.Contains("MESSAGE: OnnxBuildTasks engine 1.0: 2 model(s)", _engine.Log);
        Assert.Contains("MESSAGE: error CS0001: not ours", _engine.Log);
    }

    [Fact]
    public void AFailedEngineWithoutACodedErrorIsOBT1051()
    {
        var task = NewTask(["Unhandled exception. System.Exception: boom"], exitCode: 134);
        Assert.False(task.Execute());
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("OBT1051", error.Code);
        Assert.Contains("134", error.Message);
    }

    [Fact]
    public void ACodedErrorIsNotFollowedByAGenericOne()
    {
        var task = NewTask(["/p.csproj: error OBT1010: OnnxModel 'x.onnx': missing"], exitCode: 1);
        Assert.False(task.Execute());
        Assert.Equal("OBT1010", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void TheDotnetHostFromMSBuildIsUsedWhenItExists()
    {
        var host = _dir.Combine("host", "dotnet");
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllText(host, "");
        var task = NewTask();
        task.DotnetHostPath = host;
        task.Execute();
        Assert.Equal(host, task.PathToTool);
    }

    [Fact]
    public void EngineMetadataMatchesTheItemDefinitionInTheProps()
    {
        // The props declare a default for every metadata the engine reads (plus the copy settings).
        var props = XDocument.Load(Path.Combine(RepoRoot, "src", "OnnxBuildTasks.MSBuild", "build", "OnnxBuildTasks.props"));
        var declared = props.Descendants("OnnxModel").Single(e => e.Parent?.Name == "ItemDefinitionGroup")
            .Elements().Select(e => e.Name.LocalName).Except(["CopyToOutputDirectory", "CopyToPublishDirectory"]);
        Assert.Equal(EngineRequestWriter.EngineMetadata, declared);
    }

    private static string RepoRoot => typeof(OnnxEngineTaskTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
}
