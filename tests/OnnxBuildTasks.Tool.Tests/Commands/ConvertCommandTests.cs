using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Commands;

public class ConvertCommandTests
{
    private static string Bert(string file) => Fixtures.Path("hf-tiny", "bert-token-classification", file);

    [Fact]
    public void Converts_validates_and_writes_the_model()
    {
        using var dir = Fixtures.NewTempDir();
        var output = dir.Combine("out", "bert-17.onnx");
        var (exit, stdout, stderr) = ToolRunner.Run("convert", Bert("reference.onnx"), "--opset", "17", "-o", output, "--inputs", Bert("inputs.json"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("opset 13 -> 17", stdout);
        Assert.Contains("step 16 -> 17", stdout);
        Assert.Matches(@"logits: max abs diff \d", stdout);
        var converted = OnnxModelFile.Load(output);
        Assert.Equal(17, converted.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(["bert-17.onnx"], Directory.GetFileSystemEntries(dir.Combine("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void Downgrade_below_what_the_model_can_express_fails_with_the_code_and_writes_nothing()
    {
        using var dir = Fixtures.NewTempDir();
        var source = dir.Combine("trilu.onnx");
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(Float3x3("X"));
        graph.Output.Add(Float3x3("Y"));
        graph.Node.Add(new NodeProto { OpType = "Trilu", Name = "upper", Input = { "X" }, Output = { "Y" } });
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 14 });
        OnnxModelFile.Save(model, source);
        var output = dir.Combine("out.onnx");
        File.WriteAllText(output, "previous");

        var (exit, stdout, stderr) = ToolRunner.Run("convert", source, "--opset", "13", "-o", output);

        Assert.Equal(1, exit);
        Assert.StartsWith("error OBT5002: ", stderr);
        Assert.Contains("'upper' (Trilu)", stderr);
        Assert.Contains("from opset 14 to 13", stderr);
        Assert.Equal("previous", File.ReadAllText(output));
        Assert.Equal(["out.onnx", "trilu.onnx"], Directory.GetFileSystemEntries(dir.FullPath).Select(Path.GetFileName).Order());
        Assert.DoesNotContain("wrote", stdout);
    }

    private static ValueInfoProto Float3x3(string name)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 3 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 3 });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    [Fact]
    public void Missing_opset_is_a_usage_error()
    {
        var (exit, _, _) = ToolRunner.Run("convert", Bert("reference.onnx"), "-o", "x.onnx");
        Assert.NotEqual(0, exit);
    }
}
