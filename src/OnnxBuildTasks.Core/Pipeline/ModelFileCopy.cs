namespace OnnxBuildTasks.Pipeline;

using OnnxBuildTasks.Sources;

/// <summary>Copies an .onnx file together with the external data files it refers to.</summary>
internal static class ModelFileCopy
{
    /// <summary>
    /// Copies <paramref name="sourceModel"/> to <paramref name="targetDirectory"/>/<paramref name="targetName"/>
    /// and each external data file to the same relative location. Returns the written files relative
    /// to <paramref name="targetDirectory"/> (forward slashes), model first.
    /// </summary>
    public static IReadOnlyList<string> Copy(string sourceModel, string targetDirectory, string targetName, string itemName)
    {
        var written = new List<string> { targetName };
        CopyFile(sourceModel, Path.Combine(targetDirectory, targetName));
        var sourceFolder = Path.GetDirectoryName(sourceModel)!;
        var targetFolder = Path.GetDirectoryName(Path.Combine(targetDirectory, targetName))!;
        var relativeFolder = Path.GetRelativePath(targetDirectory, targetFolder).Replace('\\', '/');
        foreach (var location in OnnxExternalData.Locations(sourceModel, itemName))
        {
            CopyFile(Path.Combine(sourceFolder, location), Path.Combine(targetFolder, location));
            written.Add(relativeFolder == "." ? location : relativeFolder + "/" + location);
        }
        return written;
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }
}
