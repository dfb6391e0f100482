using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.TestModels;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Validation;

public class ModelCheckerTests
{
    private static CheckFinding Single(ModelProto model, string? dir = null)
    {
        var findings = ModelChecker.Check(model, dir);
        return Assert.Single(findings);
    }

    [Fact]
    public void AWellFormedModelHasNoFindings() => Assert.Empty(ModelChecker.Check(Linear(), null));

    [Fact]
    public void Cycle()
    {
        var model = Linear();
        // matmul reads Y (from add), add reads XW (from matmul): a two-node cycle.
        model.Graph.Node[0].Input[0] = "Y";
        var f = Single(model);
        Assert.Equal(ErrorCodes.GraphCycle, f.Code);
        Assert.Contains("'matmul' -> 'add' -> 'matmul'", f.Message);
    }

    [Fact]
    public void NodesOutOfOrderWithoutACycle()
    {
        var model = Linear();
        var first = model.Graph.Node[0];
        model.Graph.Node.RemoveAt(0);
        model.Graph.Node.Add(first);
        var f = Single(model);
        Assert.Equal(ErrorCodes.NodeOrder, f.Code);
        Assert.Equal("add", f.NodeName);
        Assert.Equal("XW", f.ValueName);
    }

    [Fact]
    public void UndefinedInput()
    {
        var model = Linear();
        model.Graph.Node[1].Input[1] = "bias_that_is_not_there";
        var f = Single(model);
        Assert.Equal(ErrorCodes.UndefinedValue, f.Code);
        Assert.Equal("add", f.NodeName);
        Assert.Contains("bias_that_is_not_there", f.Message);
    }

    [Fact]
    public void MissingOpsetImport()
    {
        var model = Linear();
        model.Graph.Node[1].Domain = "com.microsoft";
        var f = Single(model);
        Assert.Equal(ErrorCodes.MissingOpsetImport, f.Code);
        Assert.Contains("com.microsoft", f.Message);
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        Assert.Empty(ModelChecker.Check(model, null));
    }

    [Fact]
    public void DuplicateValueName()
    {
        var model = Linear();
        model.Graph.Node[1].Output[0] = "XW";
        model.Graph.Output[0].Name = "XW";
        var f = Single(model);
        Assert.Equal(ErrorCodes.DuplicateValueName, f.Code);
        Assert.Equal("XW", f.ValueName);
    }

    [Fact]
    public void DuplicateInitializer()
    {
        var model = Linear();
        model.Graph.Initializer.Add(model.Graph.Initializer[1].Clone());
        Assert.Equal(ErrorCodes.DuplicateValueName, Single(model).Code);
    }

    [Fact]
    public void TruncatedRawData()
    {
        var model = Linear();
        var w = model.Graph.Initializer[0];
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..^4]);
        var f = Single(model);
        Assert.Equal(ErrorCodes.InitializerMalformed, f.Code);
        Assert.Equal("W", f.ValueName);
        Assert.Contains("4092 bytes", f.Message);
        Assert.Contains("needs 4096", f.Message);
    }

    [Fact]
    public void TypedDataOfTheWrongCountOrField()
    {
        var model = Linear();
        var b = model.Graph.Initializer[1];
        b.RawData = ByteString.Empty;
        b.FloatData.Add(new float[31]);
        Assert.Equal(ErrorCodes.InitializerMalformed, Single(model).Code);
        b.FloatData.Add(0f);
        Assert.Empty(ModelChecker.Check(model, null));
        b.FloatData.Clear();
        b.Int64Data.Add(new long[32]);
        Assert.Equal(ErrorCodes.InitializerMalformed, Single(model).Code);
    }

    [Fact]
    public void MissingAndShortExternalFiles()
    {
        using var dir = Fixtures.NewTempDir();
        var model = Linear();
        ExternalData.SetReference(model.Graph.Initializer[0], "model.onnx_data", 0, 32 * 32 * 4);

        var missing = Single(model, dir.FullPath);
        Assert.Equal(ErrorCodes.ExternalDataMissing, missing.Code);
        Assert.Equal("W", missing.ValueName);

        File.WriteAllBytes(dir.Combine("model.onnx_data"), new byte[1000]);
        var tooShort = Single(model, dir.FullPath);
        Assert.Equal(ErrorCodes.ExternalDataTooShort, tooShort.Code);
        Assert.Contains("1000 bytes", tooShort.Message);

        File.WriteAllBytes(dir.Combine("model.onnx_data"), new byte[4096]);
        Assert.Empty(ModelChecker.Check(model, dir.FullPath));
        // Without a folder only the location itself can be checked.
        Assert.Empty(ModelChecker.Check(model, null));
    }

    [Theory]
    [InlineData("../weights.bin")]
    [InlineData("/tmp/weights.bin")]
    public void BadExternalLocation(string location)
    {
        var model = Linear();
        ExternalData.SetReference(model.Graph.Initializer[0], location, 0, 32 * 32 * 4);
        var f = Single(model, Path.GetTempPath());
        Assert.Equal(ErrorCodes.ExternalDataLocationUnsafe, f.Code);
        Assert.Contains(location, f.Message);
    }

    [Fact]
    public void UntypedGraphInputAndOutput()
    {
        var model = Linear();
        model.Graph.Input[0].Type = null;
        var f = Single(model);
        Assert.Equal(ErrorCodes.UntypedGraphValue, f.Code);
        Assert.Equal("X", f.ValueName);
        model.Graph.Input[0].Type = new TypeProto { TensorType = new TypeProto.Types.Tensor() };
        Assert.Equal(ErrorCodes.UntypedGraphValue, Single(model).Code);
    }

    [Theory]
    [InlineData(6, 13, true)]
    [InlineData(7, 13, false)]
    [InlineData(8, 17, false)]
    [InlineData(7, 15, true)]
    [InlineData(9, 20, false)]
    [InlineData(9, 21, true)]
    [InlineData(0, 13, true)]
    public void IrVersionAgainstOpset(int ir, int opset, bool mismatch)
    {
        var model = Linear();
        model.IrVersion = ir;
        model.OpsetImport[0].Version = opset;
        var findings = ModelChecker.Check(model, null);
        if (mismatch) Assert.Equal(ErrorCodes.IrVersionMismatch, Assert.Single(findings).Code);
        else Assert.Empty(findings);
    }

    [Fact]
    public void UndefinedGraphOutput()
    {
        var model = Linear();
        model.Graph.Output.Add(TensorValue("Z", DataType.Float, 1));
        var f = Single(model);
        Assert.Equal(ErrorCodes.UndefinedGraphOutput, f.Code);
        Assert.Equal("Z", f.ValueName);
    }

    [Fact]
    public void SubgraphsSeeOuterValuesAndAreCheckedThemselves()
    {
        var model = Linear();
        model.Graph.Input.Add(TensorValue("cond", DataType.Bool));
        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(Node("Identity", ["XW"], ["then_out"], "then_id"));
        thenBranch.Output.Add(TensorValue("then_out", DataType.Float, "batch", 32));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Node("Identity", ["Y"], ["else_out"], "else_id"));
        elseBranch.Output.Add(TensorValue("else_out", DataType.Float, "batch", 32));
        var ifNode = Node("If", ["cond"], ["picked"], "if");
        ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch });
        ifNode.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch });
        model.Graph.Node.Add(ifNode);
        model.Graph.Output.Add(TensorValue("picked", DataType.Float, "batch", 32));
        Assert.Empty(ModelChecker.Check(model, null));

        elseBranch.Node[0].Input[0] = "nowhere";
        var f = Single(model);
        Assert.Equal(ErrorCodes.UndefinedValue, f.Code);
        Assert.Contains("subgraph 'else'", f.Message);

        elseBranch.Node[0].Input[0] = "Y";
        elseBranch.Node[0].Domain = "custom";
        Assert.Equal(ErrorCodes.MissingOpsetImport, Single(model).Code);
    }

    [Fact]
    public void ThrowIfInvalidUsesTheFirstCodeAndListsEveryFinding()
    {
        var model = Linear();
        model.Graph.Node[1].Input[1] = "missing_bias";
        model.Graph.Input[0].Type = null;

        var e = Assert.Throws<OnnxBuildException>(() => ModelChecker.ThrowIfInvalid(model, null, "my-model"));

        Assert.Equal(ErrorCodes.UntypedGraphValue, e.Code);
        Assert.Contains("'my-model'", e.Message);
        Assert.Contains("2 problems", e.Message);
        Assert.Contains(ErrorCodes.UndefinedValue + ":", e.Message);
        ModelChecker.ThrowIfInvalid(Linear(), null, "fine");
    }
}
