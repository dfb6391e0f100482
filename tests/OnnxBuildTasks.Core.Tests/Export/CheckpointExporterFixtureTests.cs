using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Export;

/// <summary>
/// The fixture matrix: every encoder fixture exported at opsets 11, 14, 17 and 18 from model.safetensors and
/// from pytorch_model.bin computes the PyTorch outputs, with optimum's input/output names and dynamic axes.
/// </summary>
public class CheckpointExporterFixtureTests
{
    private const double Atol = 1e-4;

    public static TheoryData<string, int, string> Matrix()
    {
        var data = new TheoryData<string, int, string>();
        foreach (string fixture in ExportFixtures.Encoders)
            foreach (int opset in new[] { 11, 14, 17, 18 })
            {
                if (ExportFixtures.HasSafetensors(fixture)) data.Add(fixture, opset, nameof(CheckpointFormat.Safetensors));
                data.Add(fixture, opset, nameof(CheckpointFormat.PyTorch));
            }
        return data;
    }

    public static TheoryData<string> EncoderFixtures() => new(ExportFixtures.Encoders);

    [Theory]
    [MemberData(nameof(Matrix))]
    public void ExportComputesThePyTorchOutputs(string fixture, int opset, string format)
    {
        using var dir = Fixtures.NewTempDir();
        var result = ExportFixtures.Export(fixture, dir.FullPath, opset, Enum.Parse<CheckpointFormat>(format));

        var outputs = ExportFixtures.Run(result.ModelPath, ExportFixtures.Inputs(fixture));
        foreach (var (name, expected) in ExportFixtures.Outputs(fixture))
        {
            double diff = OrtRunner.MaxAbsDiff(outputs[name], expected);
            Assert.True(diff <= Atol, $"{fixture} opset {opset} {format}: output '{name}' differs from PyTorch by {diff:E2} (atol {Atol:E0}).");
        }
        var model = OnnxModelFile.Load(result.ModelPath);
        var reference = OnnxModelFile.Load(Fixtures.Path("hf-tiny", fixture, "reference.onnx"));
        ExportFixtures.AssertSameSignature(reference, model);
        Assert.Equal(opset, model.OpsetImport.Single(o => o.Domain == "").Version);
    }

    // Newer opsets: the Gelu operator (erf for BERT, tanh for ALBERT's gelu_new) and the newest opset ORT runs.
    [Theory]
    [InlineData("bert-fill-mask", 20)]
    [InlineData("albert-fill-mask", 20)]
    [InlineData("mpnet-question-answering", 22)]
    [InlineData("xlm-multiple-choice", GraphBuilder.MaxOpset)]
    [InlineData("distilbert-token-classification", GraphBuilder.MaxOpset)]
    public void NewerOpsetsComputeThePyTorchOutputs(string fixture, int opset)
    {
        using var dir = Fixtures.NewTempDir();
        var result = ExportFixtures.Export(fixture, dir.FullPath, opset);
        var outputs = ExportFixtures.Run(result.ModelPath, ExportFixtures.Inputs(fixture));
        foreach (var (name, expected) in ExportFixtures.Outputs(fixture))
            Assert.True(OrtRunner.MaxAbsDiff(outputs[name], expected) <= Atol, $"{fixture} opset {opset}: '{name}'");
        Assert.Contains(OnnxModelFile.Load(result.ModelPath).Graph.Node, n => n.OpType == "Gelu");
    }

    [Theory]
    [MemberData(nameof(EncoderFixtures))]
    public void DynamicAxesAgreeWithTheReferenceAtOtherSizes(string fixture)
    {
        using var dir = Fixtures.NewTempDir();
        var result = ExportFixtures.Export(fixture, dir.FullPath);
        var inputs = OtherSizeInputs(ExportFixtures.Inputs(fixture), batch: 3, choices: 3, sequence: 11, seed: fixture.Length);

        var ours = ExportFixtures.Run(result.ModelPath, inputs);
        var reference = ExportFixtures.Run(Fixtures.Path("hf-tiny", fixture, "reference.onnx"), inputs);
        Assert.Equal(reference.Keys.Order(), ours.Keys.Order());
        foreach (var (name, expected) in reference)
        {
            double diff = OrtRunner.MaxAbsDiff(ours[name], expected);
            Assert.True(diff <= Atol, $"{fixture}: output '{name}' at other sizes differs from reference.onnx by {diff:E2}.");
        }
    }

    [Theory]
    [MemberData(nameof(EncoderFixtures))]
    public void Fp16ExportStaysWithinOneHundredthOfPyTorch(string fixture)
    {
        using var dir = Fixtures.NewTempDir();
        var result = ExportFixtures.Export(fixture, dir.FullPath, precision: ModelPrecision.Fp16);
        var model = OnnxModelFile.Load(result.ModelPath);
        Assert.Contains(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);

        var outputs = ExportFixtures.Run(result.ModelPath, ExportFixtures.Inputs(fixture));
        foreach (var (name, expected) in ExportFixtures.Outputs(fixture))
        {
            Assert.Equal(TensorProto.Types.DataType.Float16, outputs[name].ElementType);
            double diff = OrtRunner.MaxAbsDiff(outputs[name], expected);
            Assert.True(diff <= 1e-2, $"{fixture} fp16: output '{name}' differs from PyTorch by {diff:E2} (atol 1e-2).");
        }
    }

    [Theory]
    [MemberData(nameof(EncoderFixtures))]
    public void TaskIsInferredFromConfigArchitectures(string fixture)
    {
        using var dir = Fixtures.NewTempDir();
        var result = ExportFixtures.Export(fixture, dir.FullPath, passTask: false);
        Assert.Equal(ExportFixtures.Manifest(fixture).Task, result.Task);
    }

    // Fresh inputs at other sizes: ids drawn from the fixture's own ids (valid for the vocabulary), the last rows padded.
    private static Dictionary<string, HostTensor> OtherSizeInputs(IReadOnlyDictionary<string, HostTensor> original, int batch, int choices, int sequence, int seed)
    {
        var rng = new Random(seed);
        var ids = ((long[])original["input_ids"].Data).Distinct().Where(v => v > 3).ToArray();
        bool hasChoices = original["input_ids"].Shape.Length == 3;
        long[] shape = hasChoices ? [batch, choices, sequence] : [batch, sequence];
        int rows = hasChoices ? batch * choices : batch;
        var inputIds = new long[rows * sequence];
        var mask = new long[rows * sequence];
        var types = new long[rows * sequence];
        long pad = ((long[])original["input_ids"].Data)[^1];
        for (int r = 0; r < rows; r++)
        {
            int length = r % 2 == 0 ? sequence : sequence - 1 - r % 4;
            for (int c = 0; c < sequence; c++)
            {
                int i = r * sequence + c;
                inputIds[i] = c < length ? ids[rng.Next(ids.Length)] : pad;
                mask[i] = c < length ? 1 : 0;
                types[i] = c < length / 2 ? 0 : (c < length ? 1 : 0);
            }
        }
        var result = new Dictionary<string, HostTensor>
        {
            ["input_ids"] = HostTensor.Int64(shape, inputIds),
            ["attention_mask"] = HostTensor.Int64(shape, mask),
        };
        if (original.ContainsKey("token_type_ids"))
            result["token_type_ids"] = HostTensor.Int64(shape, types);
        return result;
    }
}
