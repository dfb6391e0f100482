namespace OnnxBuildTasks.Integration;

/// <summary>The tiny sentiment model the integration projects declare (a DistilBERT text classifier, fixture reference.onnx).</summary>
internal static class Fixture
{
    public static byte[] SentimentOnnx { get; } = File.ReadAllBytes(
        Path.Combine(PackedPackage.RepoRoot, "tests", "Fixtures", "hf-tiny", "distilbert-text-classification", "reference.onnx"));
}

/// <summary>
/// Integration classes share the machine's two cores: they run one after another. They also share
/// one private NuGet package folder (NUGET_PACKAGES), so the test packages never land in the user's
/// global folder; it is deleted when the collection ends.
/// </summary>
[CollectionDefinition("dotnet build", DisableParallelization = true)]
public sealed class DotnetBuildCollection : ICollectionFixture<PrivatePackageFolder>;

/// <summary>A temporary NUGET_PACKAGES folder for every dotnet command the tests start.</summary>
public sealed class PrivatePackageFolder : IDisposable
{
    public PrivatePackageFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "obt-it-packages-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
        DotnetCli.PackagesFolder = Path;
    }

    public string Path { get; }

    public void Dispose()
    {
        DotnetCli.PackagesFolder = null;
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
