using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>What LayerNormalization and RMSNormalization decompose alike: the normalised axes and the stashed input.</summary>
internal static class NormalizationParts
{
    /// <summary>The axes from the node's <c>axis</c> attribute to the last (the rank is needed only for a non-negative axis).</summary>
    public static long[] Axes(NodeEdit edit, string op)
    {
        long axis = edit.Int("axis", -1);
        return axis < 0
            ? Enumerable.Range(0, (int)-axis).Select(i => axis + i).ToArray()
            : Enumerable.Range((int)axis, edit.RequireRank(0, op + " with a non-negative axis") - (int)axis).Select(i => (long)i).ToArray();
    }

    /// <summary>
    /// Input 0 as the decomposition computes on it: cast to float32 when <c>stash_type</c> is 1 and the
    /// input is half precision. <c>Stash</c> says whether the result must be cast back to <c>Type</c>.
    /// </summary>
    public static (string Input, DataType Type, DataType Compute, bool Stash) StashedInput(NodeEdit edit)
    {
        var type = edit.FloatTypeOf(0);
        bool stash = edit.Int("stash_type", 1) == 1 && type is DataType.Float16 or DataType.Bfloat16;
        var x = edit.Input(0);
        var input = stash ? edit.Emit("Cast", [x], NodeEdit.IntAttr("to", (long)DataType.Float)) : x;
        return (input, type, stash ? DataType.Float : type, stash);
    }
}
