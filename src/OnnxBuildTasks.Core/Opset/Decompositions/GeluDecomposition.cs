namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>
/// Gelu (20) below opset 20: approximate="none" -&gt; 0.5 * x * (1 + Erf(x / sqrt(2)));
/// approximate="tanh" -&gt; 0.5 * x * (1 + Tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
/// </summary>
internal sealed class GeluDecomposition : IOpAdapter
{
    public string Op => "Gelu";

    public int Version => 20;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var x = edit.Input(0);
        var type = edit.FloatTypeOf(0);
        string inner;
        if (edit.Str("approximate", "none") == "tanh")
        {
            var cube = edit.Emit("Pow", [x, edit.AddFloats(type, [3], [], "gelu_three")]);
            var scaledCube = edit.Emit("Mul", [cube, edit.AddFloats(type, [0.044715], [], "gelu_c")]);
            var sum = edit.Emit("Add", [x, scaledCube]);
            var arg = edit.Emit("Mul", [sum, edit.AddFloats(type, [Math.Sqrt(2 / Math.PI)], [], "gelu_k")]);
            inner = edit.Emit("Tanh", [arg]);
        }
        else
        {
            var scaled = edit.Emit("Div", [x, edit.AddFloats(type, [Math.Sqrt(2)], [], "gelu_sqrt2")]);
            inner = edit.Emit("Erf", [scaled]);
        }
        var onePlus = edit.Emit("Add", [inner, edit.AddFloats(type, [1], [], "gelu_one")]);
        var half = edit.Emit("Mul", [x, edit.AddFloats(type, [0.5], [], "gelu_half")]);
        edit.EmitInto("Mul", [half, onePlus], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
