using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Export.Architectures;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>What every block needs while building one encoder graph.</summary>
internal sealed class EncoderContext
{
    public required GraphBuilder Graph { get; init; }
    public required WeightLoader Weights { get; init; }
    public required ModelConfig Config { get; init; }
    public required EncoderFacts Facts { get; init; }

    /// <summary>The item being exported, for messages.</summary>
    public required string Item { get; init; }

    /// <summary>"bert." for task checkpoints, "" for base-model checkpoints.</summary>
    public required string Prefix { get; init; }

    public required long HiddenSize { get; init; }
    public required long Heads { get; init; }
    public required float LayerNormEps { get; init; }

    /// <summary>Element type of activations between blocks.</summary>
    public DataType ComputeType => Weights.ComputeType;

    /// <summary>Layer norm in float32 whatever the compute type (casts around it for fp16), as optimum keeps it.</summary>
    public string LayerNorm(string x, string module, long size)
    {
        var (scale, bias) = Weights.LayerNorm(module, size);
        var g = Graph;
        if (ComputeType == DataType.Float)
            return g.LayerNorm(x, scale, bias, LayerNormEps);
        return g.Cast(g.LayerNorm(g.Cast(x, DataType.Float), scale, bias, LayerNormEps), ComputeType);
    }

    /// <summary>A Linear module applied to x.</summary>
    public string Linear(string x, string module, long? inSize, long? outSize, out long actualOut)
    {
        var (w, b, _, o) = Weights.Linear(module, inSize, outSize);
        actualOut = o;
        return Graph.Linear(x, w, b);
    }
}
