namespace OnnxBuildTasks.Export.Architectures;

/// <summary>
/// Registers a class as an exportable architecture. The class implements <see cref="IEncoderArchitecture"/>;
/// <see cref="ArchitectureRegistry"/> finds every class carrying this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ArchitectureAttribute(string name) : Attribute
{
    /// <summary>Display name and main config.json model_type.</summary>
    public string Name { get; } = name;
}

/// <summary>An encoder architecture: a small class that declares its facts.</summary>
public interface IEncoderArchitecture
{
    /// <summary>The declared facts.</summary>
    EncoderFacts Facts { get; }
}
