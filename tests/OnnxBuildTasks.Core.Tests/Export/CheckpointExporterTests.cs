using System.Text.Json.Nodes;
using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Export;

public class CheckpointExporterTests
{
    [Fact]
    public void IdenticalRequestsWriteIdenticalBytes()
    {
        using var a = Fixtures.NewTempDir();
        using var b = Fixtures.NewTempDir();
        var first = ExportFixtures.Export("bert-fill-mask", a.FullPath);
        var second = ExportFixtures.Export("bert-fill-mask", b.FullPath);
        Assert.Equal(File.ReadAllBytes(first.ModelPath), File.ReadAllBytes(second.ModelPath));
    }

    [Fact]
    public void WeightsCanStreamIntoExternalDataAndStillComputeThePyTorchOutputs()
    {
        using var dir = Fixtures.NewTempDir();
        var result = CheckpointExporter.Export(new ExportRequest
        {
            CheckpointFolder = ExportFixtures.Folder("albert-fill-mask"), OutputDirectory = dir.FullPath, ExternalData = true,
        });
        Assert.True(File.Exists(Path.Combine(dir.FullPath, "model.onnx_data")));
        Assert.True(new FileInfo(result.ModelPath).Length < 64 * 1024, "the weights should be outside model.onnx");
        var outputs = ExportFixtures.Run(result.ModelPath, ExportFixtures.Inputs("albert-fill-mask"));
        Assert.True(OrtRunner.MaxAbsDiff(outputs["logits"], ExportFixtures.Outputs("albert-fill-mask")["logits"]) <= 1e-4);
    }

    [Fact]
    public void MetadataRecordsTaskOpsetEngineAndSourceHashes()
    {
        using var dir = Fixtures.NewTempDir();
        var result = CheckpointExporter.Export(new ExportRequest
        {
            CheckpointFolder = ExportFixtures.Folder("bert-text-classification"),
            OutputDirectory = dir.FullPath,
            Opset = 14,
            SourceInfo = new Dictionary<string, string> { ["repo"] = "someone/tiny-bert", ["commit"] = "abc123" },
        });
        var meta = OnnxModelFile.Load(result.ModelPath).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("text-classification", meta["onnxbuildtasks.task"]);
        Assert.Equal("14", meta["onnxbuildtasks.opset"]);
        Assert.Equal("fp32", meta["onnxbuildtasks.precision"]);
        Assert.Equal("BertForSequenceClassification", meta["onnxbuildtasks.model_class"]);
        Assert.Equal("someone/tiny-bert", meta["onnxbuildtasks.source.repo"]);
        Assert.Equal("abc123", meta["onnxbuildtasks.source.commit"]);
        Assert.False(string.IsNullOrEmpty(meta["onnxbuildtasks.engine_version"]));
        string expectedHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(ExportFixtures.Folder("bert-text-classification") + "/model.safetensors")));
        Assert.Equal(expectedHash, meta["onnxbuildtasks.source.sha256.model.safetensors"]);
        Assert.Contains("config.json", result.CopiedFiles);
        Assert.Contains("vocab.txt", result.CopiedFiles);
        Assert.True(File.Exists(Path.Combine(dir.FullPath, "vocab.txt")));
    }

    [Fact]
    public void FeatureExtractionOfATaskCheckpointDropsTheHead()
    {
        using var dir = Fixtures.NewTempDir();
        var result = CheckpointExporter.Export(new ExportRequest
        {
            CheckpointFolder = ExportFixtures.Folder("bert-text-classification"),
            OutputDirectory = dir.FullPath,
            Task = "feature-extraction",
        });
        Assert.Equal(["last_hidden_state"], result.Outputs);
        Assert.DoesNotContain(OnnxModelFile.Load(result.ModelPath).Graph.Initializer, t => t.Name.StartsWith("classifier", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text-generation", ErrorCodes.ExportUnsupportedTask, "text-generation")]
    [InlineData("no-such-task", ErrorCodes.ExportUnsupportedTask, "no-such-task")]
    public void UnsupportedTaskIsACodedError(string task, string code, string named)
    {
        using var dir = Fixtures.NewTempDir();
        var e = Assert.Throws<OnnxBuildException>(() => CheckpointExporter.Export(new ExportRequest
        {
            CheckpointFolder = ExportFixtures.Folder("bert-fill-mask"), OutputDirectory = dir.FullPath, Task = task, ItemName = "item-x",
        }));
        Assert.Equal(code, e.Code);
        Assert.Contains(named, e.Message);
        Assert.Contains("item-x", e.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(GraphBuilder.MaxOpset + 1)]
    public void UnsupportedOpsetIsACodedError(int opset)
    {
        using var dir = Fixtures.NewTempDir();
        var e = Assert.Throws<OnnxBuildException>(() => ExportFixtures.Export("bert-fill-mask", dir.FullPath, opset));
        Assert.Equal(ErrorCodes.ExportUnsupportedOpset, e.Code);
        Assert.Contains("bert-fill-mask", e.Message);
    }

    [Fact]
    public void UnsupportedArchitectureIsACodedErrorNamingTheItem()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c["model_type"] = "reformer");
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir));
        Assert.Equal(ErrorCodes.ExportUnsupportedArchitecture, e.Code);
        Assert.Contains("reformer", e.Message);
        Assert.Contains("item-under-test", e.Message);
    }

    [Fact]
    public void MissingWeightIsACodedErrorNamingItemAndWeight()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c["num_hidden_layers"] = 3);
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir));
        Assert.Equal(ErrorCodes.ExportMissingWeight, e.Code);
        Assert.Contains("encoder.layer.2.attention.self.query.weight", e.Message);
        Assert.Contains("item-under-test", e.Message);
    }

    [Fact]
    public void WrongWeightShapeIsACodedErrorNamingItemAndWeight()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c["vocab_size"] = 321);
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir));
        Assert.Equal(ErrorCodes.ExportWeightShapeMismatch, e.Code);
        Assert.Contains("embeddings.word_embeddings.weight", e.Message);
        Assert.Contains("[320, 32]", e.Message);
        Assert.Contains("item-under-test", e.Message);
    }

    [Fact]
    public void UnknownActivationIsACodedError()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c["hidden_act"] = "mish-ish");
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir));
        Assert.Equal(ErrorCodes.ExportUnsupportedActivation, e.Code);
        Assert.Contains("mish-ish", e.Message);
    }

    [Theory]
    [InlineData("position_embedding_type", "relative_key")]
    [InlineData("is_decoder", true)]
    public void ConfigSettingsTheGraphDoesNotImplementAreCodedErrors(string key, object value)
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c[key] = JsonValue.Create(value));
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir));
        Assert.Equal(ErrorCodes.ExportConfigInvalid, e.Code);
        Assert.Contains(key, e.Message);
        Assert.Contains("item-under-test", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void MPNetPositionsKeepPaddingIndexOneWhateverPadTokenIdSays(int padTokenId)
    {
        // MPNetEmbeddings fixes padding_idx = 1 (RoBERTa takes pad_token_id): the PyTorch outputs do not move.
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("mpnet-feature-extraction", dir, c => c["pad_token_id"] = padTokenId);
        var outputs = ExportFixtures.Run(Export(folder, dir).ModelPath, ExportFixtures.Inputs("mpnet-feature-extraction"));
        var expected = ExportFixtures.Outputs("mpnet-feature-extraction")["last_hidden_state"];
        Assert.True(OrtRunner.MaxAbsDiff(outputs["last_hidden_state"], expected) <= 1e-4);
    }

    [Fact]
    public void UninferableTaskIsACodedErrorAskingForTheTask()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c["architectures"] = new JsonArray("BertLMHeadModel"));
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir));
        Assert.Equal(ErrorCodes.ExportTaskNotInferable, e.Code);
        Assert.Contains("BertLMHeadModel", e.Message);
    }

    [Fact]
    public void NothingIsLeftBehindWhenTheExportFails()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig("bert-feature-extraction", dir, c => c["num_hidden_layers"] = 3);
        string output = Path.Combine(dir.FullPath, "out");
        Assert.Throws<OnnxBuildException>(() => CheckpointExporter.Export(new ExportRequest { CheckpointFolder = folder, OutputDirectory = output }));
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    private static CheckpointExportResult Export(string folder, TempDir dir) => CheckpointExporter.Export(new ExportRequest
    {
        CheckpointFolder = folder, OutputDirectory = Path.Combine(dir.FullPath, "out"), ItemName = "item-under-test",
    });
}
