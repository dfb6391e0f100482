using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Tests.Export;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class LegacyLayerNormNamesTests
{
    [Theory]
    [InlineData("bert.embeddings.LayerNorm.gamma", "bert.embeddings.LayerNorm.weight")]
    [InlineData("bert.encoder.layer.3.output.LayerNorm.beta", "bert.encoder.layer.3.output.LayerNorm.bias")]
    [InlineData("cls.predictions.transform.LayerNorm.gamma", "cls.predictions.transform.LayerNorm.weight")]
    [InlineData("bert.embeddings.LayerNorm.weight", null)]
    [InlineData("encoder.rel_attn.gamma", null)]      // only layer norms are renamed, as transformers does
    [InlineData("LayerNorm.gamma.extra", null)]
    public void OnlyLayerNormGammaAndBetaHaveAModernName(string name, string? expected) =>
        Assert.Equal(expected, LegacyLayerNormNames.Modern(name));

    // A BERT checkpoint saved with the TensorFlow-era names (as bert-base-uncased's is) reads and exports like the
    // original: same tensors under the modern names, same outputs as PyTorch within the fixture's tolerance.
    [Fact]
    public void ACheckpointWithGammaAndBetaNamesExportsToThePyTorchOutputs()
    {
        const string fixture = "bert-fill-mask";
        using var dir = Fixtures.NewTempDir();
        string folder = dir.Combine("legacy");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(ExportFixtures.Folder(fixture)))
            if (Path.GetFileName(file) is not ("model.safetensors" or "pytorch_model.bin"))
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        int renamed = 0;
        using (var original = SafetensorsFile.Open(Path.Combine(ExportFixtures.Folder(fixture), "model.safetensors")))
        {
            var specs = original.Tensors.Values.Select(t =>
            {
                string name = t.Name.Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta");
                if (name != t.Name) renamed++;
                return SafetensorsTensorSpec.FromBytes(name, t.DType, t.Shape, t.Bytes.ToArray());
            }).ToList();
            SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), specs, original.Metadata);
        }
        Assert.True(renamed >= 6);

        using (var legacy = Checkpoint.Open(folder))
        using (var modern = Checkpoint.Open(ExportFixtures.Folder(fixture), CheckpointFormat.Safetensors))
        {
            Assert.Equal(modern.TensorNames.Order(StringComparer.Ordinal), legacy.TensorNames.Order(StringComparer.Ordinal));
            Assert.Equal(modern.GetTensor("bert.embeddings.LayerNorm.weight").Bytes.ToArray(), legacy.GetTensor("bert.embeddings.LayerNorm.weight").Bytes.ToArray());
        }

        var result = CheckpointExporter.Export(new ExportRequest { CheckpointFolder = folder, OutputDirectory = dir.Combine("out"), Task = "fill-mask" });
        var outputs = ExportFixtures.Run(result.ModelPath, ExportFixtures.Inputs(fixture));
        Assert.True(OrtRunner.MaxAbsDiff(outputs["logits"], ExportFixtures.Outputs(fixture)["logits"]) <= 1e-4);
    }

    [Fact]
    public void ALegacyNameBesideItsModernNameIsLeftAlone()
    {
        using var dir = Fixtures.NewTempDir();
        var one = TestCheckpoints.Floats(1f);
        var two = TestCheckpoints.Floats(2f);
        var bytes = TestCheckpoints.Safetensors(
            """{"a.LayerNorm.gamma":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a.LayerNorm.weight":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            [.. one, .. two]);
        string folder = TestCheckpoints.Folder(dir, "model.safetensors", bytes);
        using var checkpoint = Checkpoint.Open(folder);
        Assert.Equal([2f], checkpoint.GetTensor("a.LayerNorm.weight").ToFloat32());
        Assert.Equal([1f], checkpoint.GetTensor("a.LayerNorm.gamma").ToFloat32());
    }
}
