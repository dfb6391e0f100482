using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>A registered architecture: its <see cref="ArchitectureAttribute"/> name and its facts.</summary>
public sealed record RegisteredArchitecture(string Name, EncoderFacts Facts);

/// <summary>The architectures found by their <see cref="ArchitectureAttribute"/>, looked up by config.json model_type.</summary>
/// <remarks>
/// Plain loops and reference types only: this runs once per export process, where generic code over value types
/// (LINQ over tuples) is compiled at first use while everything else comes precompiled.
/// </remarks>
public static class ArchitectureRegistry
{
    private static readonly Lazy<IReadOnlyList<RegisteredArchitecture>> All = new(Discover);

    /// <summary>Every registered architecture, ordered by name.</summary>
    public static IReadOnlyList<RegisteredArchitecture> Architectures => All.Value;

    /// <summary>The facts for <paramref name="modelType"/>, or an <see cref="ErrorCodes.ExportUnsupportedArchitecture"/> error naming the item.</summary>
    public static EncoderFacts Get(string modelType, string item)
    {
        foreach (var architecture in All.Value)
            foreach (string type in architecture.Facts.ModelTypes)
                if (string.Equals(type, modelType, StringComparison.Ordinal))
                    return architecture.Facts;
        throw new OnnxBuildException(ErrorCodes.ExportUnsupportedArchitecture,
            $"{item}: model_type '{modelType}' cannot be exported natively. Supported: {string.Join(", ", All.Value.SelectMany(a => a.Facts.ModelTypes))}. " +
            "Use an ONNX file published with the model (File metadata) instead.");
    }

    private static IReadOnlyList<RegisteredArchitecture> Discover()
    {
        var found = new List<RegisteredArchitecture>();
        foreach (var type in MarkedTypes())
        {
            var architecture = new RegisteredArchitecture(type.GetCustomAttribute<ArchitectureAttribute>()!.Name,
                ((IEncoderArchitecture)Activator.CreateInstance(type, nonPublic: true)!).Facts);
            // Insertion by name (ordinal, stable): a handful of entries.
            int at = found.Count;
            while (at > 0 && string.CompareOrdinal(found[at - 1].Name, architecture.Name) > 0) at--;
            found.Insert(at, architecture);
        }
        return found.AsReadOnly();
    }

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
