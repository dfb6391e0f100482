using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset;

/// <summary>Reads the value of a Constant node whatever attribute form it uses.</summary>
internal static class ConstantNodes
{
    /// <summary>The node's value as a tensor, or null for sparse/string forms.</summary>
    public static TensorProto? ToTensor(NodeProto node)
    {
        foreach (var a in node.Attribute)
        {
            switch (a.Name)
            {
                case "value": return a.T;
                case "value_float": return TensorValues.Floats("", DataType.Float, [a.F], []);
                case "value_floats": return TensorValues.Floats("", DataType.Float, a.Floats.Select(f => (double)f).ToArray(), [a.Floats.Count]);
                case "value_int": return TensorValues.Int64s("", [a.I], scalar: true);
                case "value_ints": return TensorValues.Int64s("", a.Ints.ToArray());
            }
        }
        return null;
    }
}
