using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Export.Architectures;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Export;

/// <summary>The encoder fixtures under tests/Fixtures/hf-tiny and helpers to export and run them.</summary>
internal static class ExportFixtures
{
    /// <summary>Fixture folder names whose architecture is registered and that have a single reference.onnx.</summary>
    public static IReadOnlyList<string> Encoders { get; } = Directory.GetDirectories(Fixtures.Path("hf-tiny"))
        .Where(d => File.Exists(Path.Combine(d, "reference.onnx")) && File.Exists(Path.Combine(d, "manifest.json")))
        .Where(d => ArchitectureRegistry.Architectures.Any(a => a.Facts.ModelTypes.Contains(Manifest(Path.GetFileName(d)).ModelType)))
        .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public static string Folder(string fixture) => Fixtures.Path("hf-tiny", fixture);

    public static (string ModelType, string Task, double Atol) Manifest(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("hf-tiny", fixture, "manifest.json")));
        var root = doc.RootElement;
        return (root.GetProperty("model_type").GetString()!, root.GetProperty("task").GetString()!,
            root.GetProperty("components")[0].GetProperty("atol").GetDouble());
    }

    public static bool HasSafetensors(string fixture) => File.Exists(Path.Combine(Folder(fixture), "model.safetensors"));

    public static CheckpointExportResult Export(string fixture, string outputDirectory, int opset = 18, CheckpointFormat format = CheckpointFormat.Auto,
        ModelPrecision precision = ModelPrecision.Fp32, bool passTask = true) =>
        CheckpointExporter.Export(new ExportRequest
        {
            CheckpointFolder = Folder(fixture),
            OutputDirectory = outputDirectory,
            Task = passTask ? Manifest(fixture).Task : null,
            Opset = opset,
            Format = format,
            Precision = precision,
            ItemName = fixture,
        });

    /// <summary>Copies a fixture's config.json and model.safetensors into <paramref name="dir"/>/ckpt with config.json edited.</summary>
    public static string CopyWithConfig(string fixture, TempDir dir, Action<JsonObject> edit)
    {
        string folder = dir.Combine("ckpt");
        Directory.CreateDirectory(folder);
        foreach (string name in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(Folder(fixture), name), Path.Combine(folder, name));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        return folder;
    }

    public static Dictionary<string, HostTensor> Run(string modelPath, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(modelPath, options);
        return OrtRunner.Run(session, inputs);
    }

    public static IReadOnlyDictionary<string, HostTensor> Inputs(string fixture) => TensorJson.ReadFile(Path.Combine(Folder(fixture), "inputs.json"));

    public static IReadOnlyDictionary<string, HostTensor> Outputs(string fixture) => TensorJson.ReadFile(Path.Combine(Folder(fixture), "outputs.json"));

    /// <summary>Names, element types and dims (symbolic names or sizes) of a graph's inputs and outputs, for comparison.</summary>
    public static string[] Signature(ModelProto model) =>
        model.Graph.Input.Where(i => model.Graph.Initializer.All(t => t.Name != i.Name)).Select(v => "in " + Describe(v))
            .Concat(model.Graph.Output.Select(v => "out " + Describe(v))).ToArray();

    /// <summary>
    /// Asserts that <paramref name="actual"/> has the reference's inputs and outputs. A symbolic dim in the reference
    /// that is not one of optimum's axis names (torch.onnx.export sometimes names a static dim, e.g. XLM's
    /// "Mullast_hidden_state_dim_2") matches any size.
    /// </summary>
    public static void AssertSameSignature(ModelProto reference, ModelProto actual)
    {
        string[] expected = Signature(reference), got = Signature(actual);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            string e = System.Text.RegularExpressions.Regex.Replace(expected[i], @"(?<=[\[,])(?!batch_size|sequence_length|num_choices)[A-Za-z_][A-Za-z0-9_]*(?=[,\]])", "*");
            string pattern = "^" + System.Text.RegularExpressions.Regex.Escape(e).Replace(@"\*", @"[^,\]]+") + "$";
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(got[i], pattern), $"expected {expected[i]}, got {got[i]}");
        }
    }

    private static string Describe(ValueInfoProto v) =>
        $"{v.Name}:{(TensorProto.Types.DataType)v.Type.TensorType.ElemType}[{string.Join(",", v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()))}]";
}
