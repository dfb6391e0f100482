using System.Text.Json;
using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class ModelValidatorTests
{
    private static string Bert(string file) => Fixtures.Path("hf-tiny", "bert-token-classification", file);

    [Fact]
    public void ReferenceExportMatchesPyTorchOutputsWithinTolerance()
    {
        var report = ModelValidator.Validate(new ValidationRequest
        {
            ModelPath = Bert("reference.onnx"),
            Inputs = TensorJson.ReadFile(Bert("inputs.json")),
            Expected = TensorJson.ReadFile(Bert("outputs.json")),
            ItemName = "bert",
        });

        Assert.True(report.Passed, report.ToJson());
        var logits = Assert.Single(report.Outputs);
        Assert.Equal("logits", logits.Name);
        Assert.InRange(logits.MaxAbsDiff!.Value, 0, 1e-4);
        Assert.Equal([2, 7], report.Inputs.Single(i => i.Name == "input_ids").Shape);
        Assert.False(report.Inputs[0].Generated);
        report.ThrowIfFailed();
    }

    [Fact]
    public void APerturbedWeightIsCaughtAgainstTheReferenceModel()
    {
        using var dir = Fixtures.NewTempDir();
        var perturbed = dir.Combine("perturbed.onnx");
        PerturbLargestInitializer(Bert("reference.onnx"), perturbed);

        var report = ModelValidator.Validate(new ValidationRequest { ModelPath = perturbed, ReferenceModelPath = Bert("reference.onnx"), ItemName = "bert-perturbed" });

        Assert.False(report.Passed);
        Assert.True(report.Worst!.MaxAbsDiff > 1e-3);
        var e = Assert.Throws<OnnxBuildException>(report.ThrowIfFailed);
        Assert.Equal(ErrorCodes.OutputMismatch, e.Code);
        Assert.Contains("'bert-perturbed'", e.Message);
        Assert.Contains("'logits'", e.Message);
    }

    [Theory]
    [InlineData("bert-token-classification", "reference.onnx", "input_ids", new long[] { 2, 8 })]
    [InlineData("roberta-multiple-choice", "reference.onnx", "input_ids", new long[] { 2, 2, 8 })]
    [InlineData("gpt2-text-generation", "reference.onnx", "attention_mask", new long[] { 2, 8 })]
    [InlineData("gpt2-text-generation-with-past", "decoder_with_past_model.onnx", "attention_mask", new long[] { 2, 9 })]
    public void GeneratedSampleInputsRunModelsWithSymbolicDims(string fixture, string file, string input, long[] shape)
    {
        var path = Fixtures.Path("hf-tiny", fixture, file);

        var report = ModelValidator.Validate(new ValidationRequest { ModelPath = path, ReferenceModelPath = path });

        Assert.True(report.Passed, report.ToJson());
        Assert.All(report.Inputs, i => Assert.True(i.Generated));
        Assert.Equal(shape, report.Inputs.Single(i => i.Name == input).Shape);
        Assert.All(report.Outputs, o => Assert.Equal(0, o.MaxAbsDiff));
    }

    [Fact]
    public void OnnxRuntimeReadsTheExternalDataSaveWrites()
    {
        using var dir = Fixtures.NewTempDir();
        var payloadModel = TestModels.WithPayloads(OnnxModelFile.Load(Bert("reference.onnx")));
        OnnxModelFile.Save(payloadModel.Model, dir.Combine("model.onnx"), new OnnxSaveOptions { ForceExternalData = true, Payloads = payloadModel.Payloads });
        Assert.True(File.Exists(dir.Combine("model.onnx_data")));

        var report = ModelValidator.Validate(new ValidationRequest
        {
            ModelPath = dir.Combine("model.onnx"),
            Inputs = TensorJson.ReadFile(Bert("inputs.json")),
            Expected = TensorJson.ReadFile(Bert("outputs.json")),
        });

        Assert.True(report.Passed, report.ToJson());
    }

    [Fact]
    public void WithoutAReferenceTheModelIsRunAndItsOutputsListed()
    {
        var report = ModelValidator.Validate(new ValidationRequest { ModelPath = Bert("reference.onnx") });
        Assert.True(report.Passed);
        Assert.Null(report.Reference);
        var logits = Assert.Single(report.Outputs);
        Assert.Equal(2, logits.Shape![0]);
        Assert.Null(logits.MaxAbsDiff);
    }

    [Fact]
    public void ExpectedOutputsTheModelLacksOrWithAnotherShapeFail()
    {
        var expected = new Dictionary<string, HostTensor>
        {
            ["logits"] = HostTensor.Float([1, 1], [0f]),
            ["pooler"] = HostTensor.Float([1], [0f]),
        };
        var report = ModelValidator.Validate(new ValidationRequest
        {
            ModelPath = Bert("reference.onnx"), Inputs = TensorJson.ReadFile(Bert("inputs.json")), Expected = expected,
        });
        Assert.Equal(ErrorCodes.OutputShapeMismatch, report.Outputs.Single(o => o.Name == "logits").FailureCode);
        Assert.Equal(ErrorCodes.OutputMissing, report.Outputs.Single(o => o.Name == "pooler").FailureCode);
        Assert.Equal(ErrorCodes.OutputMissing, Assert.Throws<OnnxBuildException>(report.ThrowIfFailed).Code);
    }

    [Fact]
    public void InputsOfTheWrongTypeOrNameAreCodedErrors()
    {
        var inputs = TensorJson.ReadFile(Bert("inputs.json")).ToDictionary();
        inputs["input_ids"] = new HostTensor(TensorProto.Types.DataType.Int32, [2, 7], new int[14]);
        var wrongType = Assert.Throws<OnnxBuildException>(() => ModelValidator.Validate(new ValidationRequest { ModelPath = Bert("reference.onnx"), Inputs = inputs }));
        Assert.Equal(ErrorCodes.ValidationInputMismatch, wrongType.Code);
        Assert.Contains("input_ids", wrongType.Message);

        inputs = TensorJson.ReadFile(Bert("inputs.json")).ToDictionary();
        inputs.Remove("attention_mask");
        var missing = Assert.Throws<OnnxBuildException>(() => ModelValidator.Validate(new ValidationRequest { ModelPath = Bert("reference.onnx"), Inputs = inputs }));
        Assert.Equal(ErrorCodes.ValidationInputMismatch, missing.Code);
        Assert.Contains("attention_mask", missing.Message);
    }

    [Fact]
    public void AModelOnnxRuntimeCannotLoadIsACodedError()
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear();
        model.Graph.Node[1].OpType = "NoSuchOperator";
        OnnxModelFile.Save(model, dir.Combine("bad.onnx"));

        var e = Assert.Throws<OnnxBuildException>(() => ModelValidator.Validate(new ValidationRequest { ModelPath = dir.Combine("bad.onnx"), ItemName = "bad" }));

        Assert.Equal(ErrorCodes.RuntimeLoadFailed, e.Code);
        Assert.Contains("NoSuchOperator", e.Message);
    }

    [Fact]
    public void AMalformedModelStopsAtTheChecker()
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear();
        model.Graph.Node[1].Input[1] = "nowhere";
        OnnxModelFile.Save(model, dir.Combine("bad.onnx"));
        var e = Assert.Throws<OnnxBuildException>(() => ModelValidator.Validate(new ValidationRequest { ModelPath = dir.Combine("bad.onnx") }));
        Assert.Equal(ErrorCodes.UndefinedValue, e.Code);
    }

    [Fact]
    public void ReportJsonHoldsInputsAndPerOutputDifferences()
    {
        using var dir = Fixtures.NewTempDir();
        var report = ModelValidator.Validate(new ValidationRequest
        {
            ModelPath = Bert("reference.onnx"),
            Inputs = TensorJson.ReadFile(Bert("inputs.json")),
            Expected = TensorJson.ReadFile(Bert("outputs.json")),
        });
        report.WriteJson(dir.Combine("validation.json"));

        using var doc = JsonDocument.Parse(File.ReadAllText(dir.Combine("validation.json")));
        var root = doc.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1e-4, root.GetProperty("atol").GetDouble());
        Assert.Equal(3, root.GetProperty("inputs").GetArrayLength());
        var output = root.GetProperty("outputs")[0];
        Assert.Equal("logits", output.GetProperty("name").GetString());
        Assert.Equal(report.Outputs[0].MaxAbsDiff, output.GetProperty("max_abs_diff").GetDouble());
    }

    /// <summary>Copies a model with 0.5 added to every value of its largest float initializer that is not an embedding table.</summary>
    internal static void PerturbLargestInitializer(string source, string destination)
    {
        var model = OnnxModelFile.Load(source);
        var gathered = model.Graph.Node.Where(n => n.OpType == "Gather").Select(n => n.Input[0]).ToHashSet();
        var tensor = model.Graph.Initializer
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && !gathered.Contains(t.Name))
            .MaxBy(t => t.RawData.Length)!;
        var values = new float[tensor.RawData.Length / 4];
        Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, tensor.RawData.Length);
        var bytes = new byte[tensor.RawData.Length];
        Buffer.BlockCopy(values.Select(v => v + 0.5f).ToArray(), 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        OnnxModelFile.Save(model, destination);
    }

    [Theory]
    [InlineData("bert-fill-mask", new long[] { 2, 15 })]
    [InlineData("roberta-multiple-choice", new long[] { 2, 2, 0 })]
    [InlineData("gpt2-text-generation", new long[] { 2, 0 })]
    [InlineData("albert-multiple-choice", new long[] { 2, 2, 0 })]
    [InlineData("xlm-roberta-text-classification", new long[] { 2, 0 })]
    public void AModelWithItsTokenizerIsValidatedOnTokenizedSampleText(string fixture, long[] shape)
    {
        var folder = Fixtures.Path("hf-tiny", fixture);
        var model = Path.Combine(folder, "reference.onnx");

        var report = ModelValidator.Validate(new ValidationRequest { ModelPath = model, ReferenceModelPath = model, TextFolder = folder });

        Assert.Equal(ValidationReport.TokenizedInputs, report.InputsSource);
        Assert.True(report.Passed, report.ToJson());
        var ids = report.Inputs.Single(i => i.Name == "input_ids").Shape;
        Assert.Equal(shape.Length, ids.Length);
        Assert.Equal(shape[..^1], ids[..^1]);
        if (shape[^1] > 0) Assert.Equal(shape[^1], ids[^1]);
        Assert.Contains("\"inputsSource\": \"tokenized\"", report.ToJson());
    }

    [Theory]
    [InlineData("xlm-fill-mask", "reference.onnx", "XLMTokenizer")]
    [InlineData("gpt2-text-generation-with-past", "decoder_with_past_model.onnx", "is not a text input")]
    public void WithoutAUsableTokenizerValidationFallsBackToGeneratedIdsAndSaysWhy(string fixture, string file, string why)
    {
        var folder = Fixtures.Path("hf-tiny", fixture);
        var model = Path.Combine(folder, file);

        var report = ModelValidator.Validate(new ValidationRequest { ModelPath = model, ReferenceModelPath = model, TextFolder = folder });

        Assert.Equal(ValidationReport.GeneratedInputs, report.InputsSource);
        Assert.Contains(why, report.InputsNote);
        Assert.True(report.Passed, report.ToJson());
    }
}
