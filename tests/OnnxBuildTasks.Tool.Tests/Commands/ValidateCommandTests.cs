using Google.Protobuf;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Commands;

public class ValidateCommandTests
{
    private static string Bert(string file) => Fixtures.Path("hf-tiny", "bert-token-classification", file);

    [Fact]
    public void ReferenceExportMatchesExpectedOutputs()
    {
        var (exit, output, error) = ToolRunner.Run("validate", Bert("reference.onnx"), "--inputs", Bert("inputs.json"), "--expected", Bert("outputs.json"));

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Matches(@"logits\s+\[2,7,5\]\s+max abs diff \d", output);
        Assert.Contains("Validation passed.", output);
    }

    [Fact]
    public void WritesTheJsonReportWhenAsked()
    {
        using var dir = Fixtures.NewTempDir();
        var (exit, _, _) = ToolRunner.Run("validate", Bert("reference.onnx"), "--reference", Bert("reference.onnx"), "--report", dir.Combine("report.json"));
        Assert.Equal(0, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.Combine("report.json")));
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("outputs")[0].GetProperty("max_abs_diff").GetDouble());
    }

    [Fact]
    public void ExpectedOutputsWithoutTheirInputsAreRefused()
    {
        var (exit, _, error) = ToolRunner.Run("validate", Bert("reference.onnx"), "--expected", Bert("outputs.json"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error OBT6032: ", error);
    }

    [Fact]
    public void APerturbedCopyIsRejectedAgainstTheReference()
    {
        using var dir = Fixtures.NewTempDir();
        var perturbed = dir.Combine("perturbed.onnx");
        Perturb(Bert("reference.onnx"), perturbed);

        var (exit, output, error) = ToolRunner.Run("validate", perturbed, "--reference", Bert("reference.onnx"));

        Assert.Equal(1, exit);
        Assert.Contains("FAILED OBT6034", output);
        Assert.StartsWith("error OBT6034: ", error);
        Assert.Contains("perturbed.onnx", error);
        Assert.Contains("'logits'", error);
    }

    [Fact]
    public void SampleInputsAreGeneratedWithoutInputsFile()
    {
        var (exit, output, _) = ToolRunner.Run("validate", Fixtures.Path("hf-tiny", "roberta-multiple-choice", "reference.onnx"));
        Assert.Equal(0, exit);
        Assert.Contains("Inputs (generated): input_ids int64[2,2,8]", output);
        Assert.Contains("nothing (run only)", output);
    }

    [Fact]
    public void WithATokenizerFolderSampleTextIsTokenized()
    {
        var folder = Fixtures.Path("hf-tiny", "roberta-multiple-choice");
        var (exit, output, _) = ToolRunner.Run("validate", Path.Combine(folder, "reference.onnx"), "--reference", Path.Combine(folder, "reference.onnx"), "--tokenizer", folder);
        Assert.Equal(0, exit);
        Assert.Contains("Inputs (tokenized): input_ids int64[2,2,", output);
        Assert.Contains("byte-level BPE (RobertaTokenizer)", output);
        Assert.Contains("Validation passed.", output);
    }

    [Fact]
    public void ATighterAtolThanTheExportAchievesFails()
    {
        var (exit, _, error) = ToolRunner.Run("validate", Bert("reference.onnx"), "--inputs", Bert("inputs.json"), "--expected", Bert("outputs.json"), "--atol", "1e-12");
        Assert.Equal(1, exit);
        Assert.StartsWith("error OBT6034: ", error);
    }

    [Fact]
    public void AnInvalidModelIsACodedError()
    {
        using var dir = Fixtures.NewTempDir();
        var model = OnnxModelFile.Load(Bert("reference.onnx"));
        model.Graph.Node.First(n => n.OpType == "MatMul").Input[0] = "undefined_value";
        OnnxModelFile.Save(model, dir.Combine("broken.onnx"));

        var (exit, _, error) = ToolRunner.Run("validate", dir.Combine("broken.onnx"));

        Assert.Equal(1, exit);
        Assert.StartsWith("error OBT6012: ", error);
        Assert.Contains("undefined_value", error);
    }

    /// <summary>Adds 0.5 to every value of the largest float initializer that is not an embedding table.</summary>
    private static void Perturb(string source, string destination)
    {
        var model = OnnxModelFile.Load(source);
        var gathered = model.Graph.Node.Where(n => n.OpType == "Gather").Select(n => n.Input[0]).ToHashSet();
        var tensor = model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && !gathered.Contains(t.Name)).MaxBy(t => t.RawData.Length)!;
        var values = new float[tensor.RawData.Length / 4];
        Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, tensor.RawData.Length);
        var bytes = new byte[tensor.RawData.Length];
        Buffer.BlockCopy(values.Select(v => v + 0.5f).ToArray(), 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        OnnxModelFile.Save(model, destination);
    }
}
