using System.Reflection;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>The architectures found by their <see cref="ArchitectureAttribute"/>, looked up by config.json model_type.</summary>
public static class ArchitectureRegistry
{
    private static readonly Lazy<IReadOnlyList<(string Name, EncoderFacts Facts)>> All = new(Discover);

    /// <summary>Every registered architecture, ordered by name.</summary>
    public static IReadOnlyList<(string Name, EncoderFacts Facts)> Architectures => All.Value;

    /// <summary>The facts for <paramref name="modelType"/>, or an <see cref="ErrorCodes.ExportUnsupportedArchitecture"/> error naming the item.</summary>
    public static EncoderFacts Get(string modelType, string item)
    {
        foreach (var (_, facts) in All.Value)
            if (facts.ModelTypes.Contains(modelType, StringComparer.Ordinal))
                return facts;
        throw new OnnxBuildException(ErrorCodes.ExportUnsupportedArchitecture,
            $"{item}: model_type '{modelType}' cannot be exported natively. Supported: {string.Join(", ", All.Value.SelectMany(a => a.Facts.ModelTypes))}. " +
            "Use an ONNX file published with the model (File metadata) instead.");
    }

    private static IReadOnlyList<(string, EncoderFacts)> Discover() =>
        typeof(ArchitectureRegistry).Assembly.GetTypes()
            .Select(t => (Type: t, Attr: t.GetCustomAttribute<ArchitectureAttribute>()))
            .Where(x => x.Attr is not null)
            .Select(x => (x.Attr!.Name, ((IEncoderArchitecture)Activator.CreateInstance(x.Type, nonPublic: true)!).Facts))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToArray();
}
