namespace OnnxBuildTasks.Diagnostics;

// OBT5000-OBT5199: opset conversion.
public static partial class ErrorCodes
{
    /// <summary>The source or target opset is outside the range the converter handles (7..26), or the model imports no default-domain opset.</summary>
    public const string OpsetOutOfRange = "OBT5000";

    /// <summary>A default-domain node uses an operator ONNX does not define; fix the model or move the op to a custom domain.</summary>
    public const string OpsetUnknownOperator = "OBT5001";

    /// <summary>An operator does not exist in the target opset and has no decomposition into older operators; pick a newer target opset.</summary>
    public const string OpsetOperatorMissingInTarget = "OBT5002";

    /// <summary>A non-constant input would have to become an attribute of the older operator (e.g. computed Unsqueeze axes); pick a newer target opset.</summary>
    public const string OpsetNonConstantInput = "OBT5003";

    /// <summary>The model uses an element type the target opset's operator does not accept (e.g. bfloat16 Add below 13); pick a newer target opset or cast the model.</summary>
    public const string OpsetTypeNotInTarget = "OBT5004";

    /// <summary>An attribute value or input the node uses has no equivalent in the target opset's operator (e.g. Reshape allowzero=1 below 14).</summary>
    public const string OpsetValueNotExpressible = "OBT5005";

    /// <summary>The rewrite needs the rank of an input (e.g. a negative axis below opset 11) and the model does not declare it; add shape information (value_info) to the model.</summary>
    public const string OpsetRankUnknown = "OBT5006";

    /// <summary>A node is malformed for its operator (missing required input or attribute), so it cannot be converted; check the model.</summary>
    public const string OpsetMalformedNode = "OBT5007";
}
