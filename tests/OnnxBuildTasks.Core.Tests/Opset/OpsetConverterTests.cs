using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset;

public class OpsetConverterTests
{
    [Fact]
    public void Subgraph_bodies_are_converted_at_every_step()
    {
        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(Node("Unsqueeze", ["X"], ["t"], Ints("axes", 0)));
        thenBranch.Output.Add(Value(F("t", 1, 3), false));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Node("Unsqueeze", ["X"], ["e"], Ints("axes", 1)));
        elseBranch.Node[0].Name = "inner";
        elseBranch.Output.Add(Value(F("e", 3, 1), false));
        var ifNode = Node("If", ["C"], ["Y"],
            new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch },
            new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch });
        var m = Model(12, [F("X", 3), new("C", DataType.Bool, [])], [F("Y")], [ifNode], declareOutputShapes: false);
        foreach (bool c in new[] { true, false })
        {
            var inputs = new Dictionary<string, HostTensor> { ["X"] = HostTensor.Float([3], [1, 2, 3]), ["C"] = new(DataType.Bool, [], new[] { c }) };
            var at13 = AssertRoundTrip(m, 13, inputs);
            var body = at13.Graph.Node.Single().Attribute.Single(a => a.Name == "else_branch").G;
            Assert.Equal(2, body.Node.Single().Input.Count);
        }
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(WithComputedAxes(m), 12));
        Assert.Contains("else_branch of node 'if_0' (If)", e.Message);
    }

    private static ModelProto WithComputedAxes(ModelProto m)
    {
        var at13 = OpsetConverter.Convert(m, 13).Model;
        var body = at13.Graph.Node[0].Attribute.Single(a => a.Name == "else_branch").G;
        body.Initializer.Clear();
        body.Node[0].Input[1] = "C_axes";
        body.Node.Insert(0, Node("Shape", ["C"], ["C_axes"]));
        return at13;
    }

    [Fact]
    public void Other_domains_are_left_untouched_and_reported()
    {
        var m = Model(13, [F("X", 2, 4)], [F("Y", 2, 4)],
        [
            new NodeProto { OpType = "Gelu", Domain = "com.microsoft", Name = "ms_gelu", Input = { "X" }, Output = { "g" } },
            Node("Softmax", ["g"], ["Y"]),
        ]);
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        var result = OpsetConverter.Convert(m, 17);
        Assert.Equal(1, result.Report.UntouchedDomains["com.microsoft"]);
        Assert.Equal(1, result.Model.OpsetImport.Single(o => o.Domain == "com.microsoft").Version);
        Assert.Equal(m.Graph.Node[0], result.Model.Graph.Node[0]);
        Assert.Contains("com.microsoft", result.Report.ToText());
        AssertRoundTrip(m, 17, new Dictionary<string, HostTensor> { ["X"] = Random([2, 4]) });
    }

    [Fact]
    public void Report_lists_each_step_and_the_nodes_changed()
    {
        var m = Model(12, [F("X", 2, 3)], [F("Y", 1, 2, 3)], [Node("Unsqueeze", ["X"], ["Y"], Ints("axes", 0))]);
        var r = OpsetConverter.Convert(m, 15).Report;
        Assert.Equal([(12, 13), (13, 14), (14, 15)], r.Steps.Select(s => (s.From, s.To)));
        Assert.Equal("Unsqueeze", r.Steps[0].Changes.Single().Op);
        Assert.Empty(r.Steps[1].Changes);
        Assert.Equal(1, r.NodesChanged);
        Assert.Equal(7, r.SourceIrVersion);
        Assert.Equal(8, r.TargetIrVersion);
    }

    [Fact]
    public void Converting_to_the_same_opset_changes_nothing()
    {
        var m = Model(13, [F("X", 2, 3)], [F("Y", 1, 2, 3)], [Node("Unsqueeze", ["X", "axes"], ["Y"])], [I64("axes", 0)]);
        m.IrVersion = 8;
        var r = OpsetConverter.Convert(m, 13);
        Assert.Empty(r.Report.Steps);
        Assert.Equal(m, r.Model);
        Assert.NotSame(m, r.Model);
    }

    [Fact]
    public void Operator_newer_than_the_target_without_decomposition_is_refused()
    {
        var m = Model(14, [F("X", 3, 3)], [F("Y", 3, 3)], [Node("Trilu", ["X"], ["Y"])]);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 13));
        Assert.Equal(ErrorCodes.OpsetOperatorMissingInTarget, e.Code);
        Assert.Contains("'trilu_0' (Trilu)", e.Message);
        Assert.Contains("from opset 14 to 13", e.Message);
    }

    [Fact]
    public void A_type_the_target_lacks_is_refused()
    {
        var m = Model(14, [new("A", DataType.Int8, [3]), new("B", DataType.Int8, [3])], [new("Y", DataType.Int8, [3])], [Node("Add", ["A", "B"], ["Y"])]);
        var inputs = new Dictionary<string, HostTensor> { ["A"] = new(DataType.Int8, [3], new sbyte[] { 1, 2, 3 }), ["B"] = new(DataType.Int8, [3], new sbyte[] { 4, 5, 6 }) };
        Assert.Equal(new sbyte[] { 5, 7, 9 }, (sbyte[])Run(m, inputs)["Y"].Data);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 13));
        Assert.Equal(ErrorCodes.OpsetTypeNotInTarget, e.Code);
        Assert.Contains("Int8", e.Message);
        Assert.Contains("from opset 14 to 13", e.Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(OperatorHistory.MaxOpset + 1)]
    public void Targets_outside_the_range_are_refused(int target)
    {
        var m = Model(13, [F("X", 2)], [F("Y", 2)], [Node("Relu", ["X"], ["Y"])]);
        Assert.Equal(ErrorCodes.OpsetOutOfRange, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, target)).Code);
    }

    [Fact]
    public void Unknown_default_domain_operator_is_refused()
    {
        var m = Model(13, [F("X", 2)], [F("Y", 2)], [Node("NotAnOnnxOp", ["X"], ["Y"])]);
        Assert.Equal(ErrorCodes.OpsetUnknownOperator, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 14)).Code);
    }
}
