using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Tests;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Integration;

/// <summary>
/// `dotnet build` of a project whose OnnxModel is a local Hugging Face checkpoint folder: the packed engine
/// exports it, validates it and copies it with its config and tokenizer files.
/// </summary>
[Collection("dotnet build")]
public sealed class CheckpointBuildTests
{
    // The checkpoint samples/TextClassification exports.
    private const string Checkpoint = "bert-text-classification";
    private const string Sha256Prefix = "onnxbuildtasks.source.sha256.";

    [Fact]
    public void ACheckpointFolderIsExportedMatchesPyTorchRecordsItsSourceAndTheNextBuildIsANoOp()
    {
        using var project = new TestProject("""
                <OnnxModel Include="ckpt/" Task="text-classification" />
            """);
        var fixture = Fixtures.Path("hf-tiny", Checkpoint);
        Directory.CreateDirectory(project.Model("ckpt"));
        foreach (var file in Directory.GetFiles(fixture).Where(f => Path.GetFileName(f) != "reference.onnx"))
            File.Copy(file, Path.Combine(project.Model("ckpt"), Path.GetFileName(file)));

        var first = project.Build();
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["ckpt/"], BuildLog.EngineItems(first.Output));

        var outDir = Path.Combine(project.Bin, "models", "ckpt");
        var model = Path.Combine(outDir, "model.onnx");
        Assert.True(File.Exists(model), first.ToString());
        foreach (var side in new[] { "config.json", "vocab.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(fixture, side)), File.ReadAllBytes(Path.Combine(outDir, side)));

        // The model computes what PyTorch computed on the fixture's inputs.
        var expected = TensorJson.ReadFile(Path.Combine(fixture, "outputs.json"));
        var actual = Run(model, TensorJson.ReadFile(Path.Combine(fixture, "inputs.json")));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, tensor) in expected)
        {
            var comparison = OutputComparison.Compare(name, actual[name], tensor, 1e-4);
            Assert.True(comparison.Passed, $"{name}: {comparison.Failure}");
            Assert.InRange(comparison.MaxAbsDiff!.Value, 0, 1e-4);
        }

        // metadata_props name the sha256 of the checkpoint's config and weights, as the files hash here.
        var props = OnnxModelFile.Load(model).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var hashes = props.Where(p => p.Key.StartsWith(Sha256Prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[Sha256Prefix.Length..], p => p.Value);
        Assert.Equal(["config.json", "model.safetensors", "pytorch_model.bin"], hashes.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, sha) in hashes)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(fixture, file)))), sha);
        Assert.Equal("text-classification", props["onnxbuildtasks.task"]);

        // Nothing changed: the engine target is skipped and no engine process starts.
        var noop = project.Build();
        Assert.True(noop.ExitCode == 0, noop.ToString());
        Assert.True(BuildLog.EngineTargetSkipped(noop.Output), noop.ToString());
        Assert.False(BuildLog.EngineStarted(noop.Output), noop.ToString());
        Assert.Empty(BuildLog.EngineItems(noop.Output));
        Assert.True(File.Exists(model));
    }

    private static Dictionary<string, HostTensor> Run(string model, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        using var session = new InferenceSession(model);
        var values = session.InputNames.Select(n => inputs[n].ToOrtValue()).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, session.InputNames, values, session.OutputNames);
            return session.OutputNames.Select((name, i) => (name, i)).ToDictionary(o => o.name, o => HostTensor.FromOrtValue(outputs[o.i]));
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
