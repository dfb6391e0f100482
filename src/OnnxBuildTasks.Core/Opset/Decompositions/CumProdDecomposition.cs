using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>
/// CumProd (26) below opset 26 when its axis is a constant and that axis's length is known: x is
/// sliced along the axis, y_j = y_(j-1) * x_j (walking backwards when reverse=1; shifted by one
/// behind a leading 1 when exclusive=1), and the products are concatenated back. Exact, unlike
/// Exp(CumSum(Log x)); a dynamic or very long axis keeps CumProd and is refused.
/// </summary>
internal sealed class CumProdDecomposition : IOpAdapter
{
    /// <summary>Longest axis unrolled (two nodes per element).</summary>
    private const long MaxLength = 256;

    public string Op => "CumProd";

    public int Version => 26;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var x = edit.Input(0);
        long axis = edit.RequireConstInts(1, "CumProd's axis")[0];
        if (axis < 0) axis += edit.RequireRank(0, "CumProd with a negative axis");
        long n = edit.Dim(x, (int)axis)
            ?? throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, $"the length of axis {axis} of '{x}' is not declared, so the product cannot be unrolled; keep opset >= 26 or give the input a static shape");
        if (n > MaxLength)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, $"axis {axis} of '{x}' has {n} elements, more than the {MaxLength} this decomposition unrolls; keep opset >= 26");
        var output = edit.Node.Output[0];
        if (n == 0)
        {
            edit.EmitInto("Identity", [x], [output]);
            edit.Remove();
            return;
        }
        var type = edit.TypeOf(x)
            ?? throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget, $"the element type of '{x}' is unknown, and an exclusive or unrolled product needs it; keep opset >= 26");
        bool exclusive = edit.Int("exclusive", 0) == 1;
        bool reverse = edit.Int("reverse", 0) == 1;

        var axes = edit.AddInt64s([axis], "cumprod_axis");
        var slices = new string[n];
        for (long j = 0; j < n; j++)
            slices[j] = edit.Emit("Slice", [x, edit.AddInt64s([j], "cumprod_start"), edit.AddInt64s([j + 1], "cumprod_end"), axes]);

        var products = new string[n];
        string? running = null;
        for (long k = 0; k < n; k++)
        {
            long j = reverse ? n - 1 - k : k;
            if (exclusive)
                products[j] = running ?? Ones(edit, slices[j], type);
            running = running is null ? slices[j] : edit.Emit("Mul", [running, slices[j]]);
            if (!exclusive)
                products[j] = running;
        }
        edit.EmitInto("Concat", products, [output], NodeEdit.IntAttr("axis", axis));
        edit.Remove();
    }

    private static string Ones(NodeEdit edit, string like, Onnx.TensorProto.Types.DataType type)
    {
        var one = edit.Emit("Cast", [edit.AddInt64s([1], "cumprod_one", scalar: true)], NodeEdit.IntAttr("to", (long)type));
        return edit.Emit("Expand", [one, edit.Emit("Shape", [like])]);
    }
}
