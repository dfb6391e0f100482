namespace OnnxBuildTasks.Pipeline;

/// <summary>Numeric precision of exported weights (the <c>Precision</c> metadata).</summary>
public enum ModelPrecision
{
    /// <summary>32-bit floats (default).</summary>
    Fp32,

    /// <summary>16-bit floats.</summary>
    Fp16,
}

/// <summary>ONNX Runtime offline graph optimization level (the <c>Optimize</c> metadata).</summary>
public enum GraphOptimization
{
    /// <summary>The model is kept as produced (default).</summary>
    None,

    /// <summary>Semantics-preserving rewrites such as constant folding and redundant node removal.</summary>
    Basic,

    /// <summary>Basic plus operator fusions (some produce com.microsoft operators).</summary>
    Extended,

    /// <summary>Everything ONNX Runtime knows, including layout rewrites.</summary>
    All,
}

/// <summary>Weight quantization (the <c>Quantize</c> metadata).</summary>
public enum QuantizeMode
{
    /// <summary>No quantization (default).</summary>
    None,

    /// <summary>Dynamic quantization: int8 weights, activations quantized at run time.</summary>
    Dynamic,
}
