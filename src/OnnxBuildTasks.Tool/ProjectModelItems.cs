using System.Xml.Linq;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tool;

/// <summary>An OnnxModel item read from a project file.</summary>
/// <param name="Include">The Include value.</param>
/// <param name="Revision">Revision metadata, or null.</param>
/// <param name="File">File metadata, or null.</param>
internal sealed record ProjectModelItem(string Include, string? Revision, string? File);

/// <summary>
/// Reads the <c>OnnxModel</c> items written literally in a project file (metadata as attributes or
/// child elements) and its OnnxLockFile property. Items built from properties or globs need a build.
/// </summary>
internal static class ProjectModelItems
{
    /// <summary>The project file in <paramref name="pathOrFolder"/> (a file, or a folder holding exactly one *.*proj).</summary>
    public static string FindProject(string? pathOrFolder)
    {
        var p = Path.GetFullPath(pathOrFolder ?? ".");
        if (File.Exists(p)) return p;
        var found = Directory.Exists(p) ? Directory.GetFiles(p, "*.*proj") : [];
        return found.Length == 1 ? found[0] : throw new OnnxBuildException(ErrorCodes.LockFileInvalid,
            $"Found {found.Length} project files in {p}; name the project with --project.");
    }

    public static (IReadOnlyList<ProjectModelItem> Items, string? LockFile) Read(string projectPath)
    {
        var doc = XDocument.Load(projectPath);
        var items = doc.Descendants().Where(e => e.Name.LocalName == "OnnxModel" && e.Attribute("Include") is not null)
            .Select(e => new ProjectModelItem(e.Attribute("Include")!.Value.Trim(), Meta(e, "Revision"), Meta(e, "File")))
            .ToList();
        var lockFile = doc.Descendants().LastOrDefault(e => e.Name.LocalName == "OnnxLockFile")?.Value.Trim();
        return (items, string.IsNullOrEmpty(lockFile) ? null : lockFile);
    }

    private static string? Meta(XElement e, string name)
    {
        var v = e.Attribute(name)?.Value ?? e.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;
        return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
    }
}
