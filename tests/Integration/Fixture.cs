namespace OnnxBuildTasks.Integration;

/// <summary>The tiny sentiment model the integration projects declare (a DistilBERT text classifier, fixture reference.onnx).</summary>
internal static class Fixture
{
    public static byte[] SentimentOnnx { get; } = File.ReadAllBytes(
        Path.Combine(PackedPackage.RepoRoot, "tests", "Fixtures", "hf-tiny", "distilbert-text-classification", "reference.onnx"));
}

/// <summary>Integration classes share the machine's two cores: they run one after another.</summary>
[CollectionDefinition("dotnet build", DisableParallelization = true)]
public sealed class DotnetBuildCollection;
