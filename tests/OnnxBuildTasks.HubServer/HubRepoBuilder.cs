namespace OnnxBuildTasks.HubServer;

/// <summary>
/// Writes a repository folder (commit folders + repo.json) under a local Hub root, for tests.
/// Call <see cref="Save"/> before starting (or reloading) the <see cref="LocalHub"/>.
/// </summary>
public sealed class HubRepoBuilder
{
    private readonly string _dir;

    /// <summary>Starts (or reopens) repo <paramref name="repoId"/> under <paramref name="root"/>.</summary>
    public HubRepoBuilder(string root, string repoId)
    {
        _dir = Path.Combine([root, .. repoId.Split('/')]);
        Directory.CreateDirectory(_dir);
        var manifestPath = Path.Combine(_dir, "repo.json");
        Manifest = File.Exists(manifestPath) ? RepoManifest.Load(manifestPath) : new RepoManifest();
    }

    /// <summary>The manifest being built (set Private, Gated, Tokens, Lfs directly).</summary>
    public RepoManifest Manifest { get; }

    /// <summary>Adds commit folder <paramref name="name"/> holding <paramref name="files"/> (path -> bytes) and points <paramref name="branch"/> at it.</summary>
    public HubRepoBuilder Commit(string name, IReadOnlyDictionary<string, byte[]> files, string? branch = "main")
    {
        foreach (var (path, bytes) in files)
        {
            var target = Path.Combine([_dir, name, .. path.Split('/')]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, bytes);
        }
        return Register(name, branch);
    }

    /// <summary>Adds commit folder <paramref name="name"/> as a copy of folder <paramref name="source"/>.</summary>
    public HubRepoBuilder CommitFolder(string name, string source, string? branch = "main")
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_dir, name, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        return Register(name, branch);
    }

    /// <summary>Points tag <paramref name="tag"/> at commit folder <paramref name="commit"/>.</summary>
    public HubRepoBuilder Tag(string tag, string commit)
    {
        Manifest.Tags[tag] = commit;
        return this;
    }

    /// <summary>Writes repo.json.</summary>
    public void Save() => Manifest.Save(_dir);

    private HubRepoBuilder Register(string name, string? branch)
    {
        if (!Manifest.Commits.Contains(name)) Manifest.Commits.Add(name);
        if (branch is not null) Manifest.Branches[branch] = name;
        return this;
    }
}
