using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
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
        MarkedTypes()
            .Select(t => (t.GetCustomAttribute<ArchitectureAttribute>()!.Name, ((IEncoderArchitecture)Activator.CreateInstance(t, nonPublic: true)!).Facts))
            .OrderBy(x => x.Item1, StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// The classes carrying <see cref="ArchitectureAttribute"/>, found in the assembly's metadata so that only they are
    /// loaded (loading all of the assembly's ~600 types to ask each one costs 10–20 ms at every engine start).
    /// </summary>
    private static unsafe IEnumerable<Type> MarkedTypes()
    {
        var assembly = typeof(ArchitectureRegistry).Assembly;
        if (!assembly.TryGetRawMetadata(out byte* blob, out int length))
            return assembly.GetTypes().Where(t => t.IsDefined(typeof(ArchitectureAttribute), inherit: false));
        var reader = new MetadataReader(blob, length);
        int constructor = typeof(ArchitectureAttribute).GetConstructors().Single().MetadataToken;
        var module = typeof(ArchitectureRegistry).Module;
        var types = new List<Type>();
        foreach (var handle in reader.TypeDefinitions)
        {
            foreach (var attribute in reader.GetTypeDefinition(handle).GetCustomAttributes())
            {
                if (MetadataTokens.GetToken(reader.GetCustomAttribute(attribute).Constructor) != constructor) continue;
                types.Add(module.ResolveType(MetadataTokens.GetToken(handle)));
                break;
            }
        }
        return types;
    }
}
