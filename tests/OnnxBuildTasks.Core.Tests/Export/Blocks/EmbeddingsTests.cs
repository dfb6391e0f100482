using System.Text.Json.Nodes;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export;

namespace OnnxBuildTasks.Tests.Export.Blocks;

/// <summary>Sinusoidal position tables: computed by the exporter when a sinusoidal checkpoint does not carry its table.</summary>
public sealed class EmbeddingsTests : IDisposable
{
    private const string Fixture = "distilbert-feature-extraction";
    private const string PositionTable = "embeddings.position_embeddings.weight"; // a base-model checkpoint: no prefix
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AMissingSinusoidalTableIsComputedAsTransformersFillsIt()
    {
        // With the table (as transformers saves it) and without it: the same outputs.
        string withTable = Checkpoint("with", keepTable: true, sinusoidal: true);
        string withoutTable = Checkpoint("without", keepTable: false, sinusoidal: true);
        using (var check = OnnxBuildTasks.Checkpoints.Checkpoint.Open(withoutTable))
            Assert.DoesNotContain(PositionTable, check.TensorNames);
        var inputs = ExportFixtures.Inputs(Fixture);
        var a = ExportFixtures.Run(Export(withTable).ModelPath, inputs)["last_hidden_state"];
        var b = ExportFixtures.Run(Export(withoutTable).ModelPath, inputs)["last_hidden_state"];
        Assert.True(OrtRunner.MaxAbsDiff(b, a) < 1e-6);
    }

    [Fact]
    public void AMissingLearnedTableIsAMissingWeight()
    {
        string folder = Checkpoint("learned", keepTable: false, sinusoidal: false);
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder));
        Assert.Equal(ErrorCodes.ExportMissingWeight, e.Code);
        Assert.Contains(PositionTable, e.Message);
    }

    private CheckpointExportResult Export(string folder) => CheckpointExporter.Export(new ExportRequest
    {
        CheckpointFolder = folder, OutputDirectory = Path.Combine(folder, "out"), ItemName = Path.GetFileName(folder),
    });

    // The fixture's weights, its position table replaced by the sinusoidal one (written here from the formula
    // in transformers' create_sinusoidal_embeddings) or left out.
    private string Checkpoint(string name, bool keepTable, bool sinusoidal)
    {
        string folder = _dir.Combine(name);
        Directory.CreateDirectory(folder);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(ExportFixtures.Folder(Fixture), "config.json")))!.AsObject();
        config["sinusoidal_pos_embds"] = sinusoidal;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        using var source = OnnxBuildTasks.Checkpoints.Checkpoint.Open(ExportFixtures.Folder(Fixture));
        var specs = new List<SafetensorsTensorSpec>();
        Assert.Contains(PositionTable, source.TensorNames);
        foreach (string tensorName in source.TensorNames)
        {
            var tensor = source.GetTensor(tensorName);
            if (tensorName != PositionTable)
                specs.Add(SafetensorsTensorSpec.FromFloats(tensorName, tensor.Shape, tensor.ToFloat32()));
            else if (keepTable)
                specs.Add(SafetensorsTensorSpec.FromFloats(tensorName, tensor.Shape, Sinusoidal((int)tensor.Shape[0], (int)tensor.Shape[1])));
        }
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), specs);
        return folder;
    }

    private static float[] Sinusoidal(int positions, int dim)
    {
        var table = new float[positions * dim];
        for (int pos = 0; pos < positions; pos++)
            for (int i = 0; i < dim / 2; i++)
            {
                double angle = pos / Math.Pow(10000, 2.0 * i / dim);
                table[pos * dim + 2 * i] = (float)Math.Sin(angle);
                table[pos * dim + 2 * i + 1] = (float)Math.Cos(angle);
            }
        return table;
    }
}
