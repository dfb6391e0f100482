using System.Reflection;

namespace OnnxBuildTasks.Tests;

/// <summary>Locates tests/Fixtures (copied from the shared hf-tiny set) and scratch folders.</summary>
internal static class Fixtures
{
    public static string Root { get; } = typeof(Fixtures).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FixturesDir").Value!;

    /// <summary>Path of a file or folder under tests/Fixtures.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A fresh empty folder that is deleted when disposed.</summary>
    public static TempDir NewTempDir() => new();
}

internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        FullPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "obt-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([FullPath, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(FullPath, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
