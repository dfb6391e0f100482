using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Export.Architectures;

namespace OnnxBuildTasks.Tests.Export;

public class ArchitectureRegistryTests
{
    [Fact]
    public void EveryRegisteredArchitectureHasAFixtureForEveryTaskItSupports()
    {
        Assert.NotEmpty(ArchitectureRegistry.Architectures);
        var missing = new List<string>();
        foreach (var (name, facts) in ArchitectureRegistry.Architectures)
            foreach (string modelType in facts.ModelTypes)
                foreach (string task in EncoderGraph.SupportedTasks(facts))
                {
                    string fixture = modelType + "-" + task;
                    if (!ExportFixtures.Encoders.Contains(fixture))
                        missing.Add($"{name}: no fixture tests/Fixtures/hf-tiny/{fixture} (with reference.onnx, inputs.json, outputs.json)");
                }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void EveryModelClassMapsToASupportedTaskAndModelTypesAreUnique()
    {
        var types = ArchitectureRegistry.Architectures.SelectMany(a => a.Facts.ModelTypes).ToArray();
        Assert.Equal(types.Length, types.Distinct().Count());
        foreach (var (_, facts) in ArchitectureRegistry.Architectures)
            foreach (var (cls, task) in facts.ModelClasses)
                Assert.True(EncoderGraph.SupportedTasks(facts).Contains(task), $"{cls} maps to unsupported task {task}");
    }

    [Fact]
    public void ArchitecturesAreSmallSealedClassesThatInheritNothing()
    {
        var types = typeof(ArchitectureRegistry).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(ArchitectureAttribute), false).Length > 0).ToArray();
        Assert.Equal(ArchitectureRegistry.Architectures.Count, types.Length);
        foreach (var t in types)
        {
            Assert.True(t.IsSealed, $"{t.Name} must be sealed");
            Assert.Equal(typeof(object), t.BaseType);
        }
    }

    [Fact]
    public void TheArchitecturesDocListsExactlyTheRegisteredModelTypes()
    {
        string root = typeof(ArchitectureRegistryTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        string doc = File.ReadAllText(Path.Combine(root, "src", "OnnxBuildTasks.Core", "Export", "ARCHITECTURES.md"));
        var listed = System.Text.RegularExpressions.Regex.Matches(doc, @"^\| `([a-z0-9_-]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        var registered = ArchitectureRegistry.Architectures.SelectMany(a => a.Facts.ModelTypes).Order(StringComparer.Ordinal);
        Assert.Equal(registered, listed);
    }

    [Fact]
    public void UnknownModelTypeIsACodedErrorNamingTheItem()
    {
        var e = Assert.Throws<OnnxBuildException>(() => ArchitectureRegistry.Get("gpt2", "my-item"));
        Assert.Equal(ErrorCodes.ExportUnsupportedArchitecture, e.Code);
        Assert.Contains("my-item", e.Message);
        Assert.Contains("bert", e.Message);
    }
}
