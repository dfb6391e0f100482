using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// Materialises one item's result into obj/ for the SDK to copy: the cache entry's model files
/// plus the source's side files go to <c>&lt;outputRoot&gt;/&lt;Name&gt;/</c>, then a file list
/// (written last, atomically) names them as <c>Name/file</c> lines, which are also their paths
/// under the output models folder. The MSBuild targets turn that list into <c>None</c>-like items.
/// </summary>
public static class ItemOutput
{
    /// <summary>Replaces <c>outputRoot/Name</c> with the result's files and writes <paramref name="fileList"/>.</summary>
    public static IReadOnlyList<string> Write(PipelineResult result, string outputRoot, string fileList)
    {
        var outputDirectory = Path.Combine(Path.GetFullPath(outputRoot), result.Request.Name);
        Remove(outputDirectory, fileList);
        var temp = outputDirectory + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var files = new List<string>();
            foreach (var file in result.Entry.Files)
            {
                Copy(Path.Combine(result.Entry.Directory, file), Path.Combine(temp, file));
                files.Add(file);
            }
            foreach (var side in result.Source.SideFiles)
            {
                var name = Path.GetFileName(side);
                if (files.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                Copy(side, Path.Combine(temp, name));
                files.Add(name);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(outputDirectory)!);
            Directory.Move(temp, outputDirectory);
            var listTemp = fileList + ".tmp";
            File.WriteAllLines(listTemp, files.Select(f => result.Request.Name + "/" + f));
            File.Move(listTemp, fileList, overwrite: true);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove(outputDirectory, fileList);
            throw new OnnxBuildException(ErrorCodes.OutputWriteFailed,
                $"{result.Request.DisplayName}: cannot write the model files to '{outputDirectory}' ({e.Message}). Check that the folder is writable and not in use.", e);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Deletes an item's output folder and file list (for a failed item: nothing stays behind).</summary>
    public static void Remove(string? outputDirectory, string fileList)
    {
        if (File.Exists(fileList)) File.Delete(fileList);
        if (outputDirectory is not null && Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory, recursive: true);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }
}
