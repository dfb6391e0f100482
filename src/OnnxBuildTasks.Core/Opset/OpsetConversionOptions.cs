namespace OnnxBuildTasks.Opset;

/// <summary>Choices for <see cref="OpsetConverter.Convert"/>.</summary>
public sealed class OpsetConversionOptions
{
    /// <summary>
    /// When a type-extension check meets a value whose element type the model does not declare,
    /// accept it and list it in the report (true, the default) or refuse the conversion (false).
    /// </summary>
    public bool AllowUnverifiedTypes { get; init; } = true;
}
