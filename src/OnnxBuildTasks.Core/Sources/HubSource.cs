using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.Locking;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// A Hub repo as a model source, pinned by the lock file: an entry for the same revision is used
/// as is (no request when the cache is warm); otherwise the revision is resolved, fetched and recorded.
/// </summary>
public sealed class HubSource(HubFetcher fetcher, LockSession lockSession)
{
    /// <summary>
    /// Fetches <paramref name="repoId"/> (all export files, or just <paramref name="file"/> plus the repo files
    /// <paramref name="companions"/> accepts, e.g. external data and tokenizer files) and records it in the lock.
    /// </summary>
    public async Task<HubFetchResult> FetchAsync(string repoId, string? revision, string? file, string itemName,
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default, Func<string, bool>? companions = null)
    {
        RepoId.Validate(repoId);
        if (file is not null) file = SafeRelativePath(file, itemName);
        var rev = string.IsNullOrWhiteSpace(revision) ? "main" : revision.Trim();
        var key = LockEntry.KeyOf(repoId, file);
        var entry = lockSession.Find(key);
        var pinned = entry is { Source: "hub", Commit: not null } && entry.Id == repoId && entry.Revision == rev && entry.File == file;
        if (!pinned && lockSession.LockedMode)
            throw new OnnxBuildException(ErrorCodes.LockedModeChange,
                $"{itemName}: locked mode (OnnxLockedMode / --locked) and the lock file {lockSession.Path ?? "(none)"} has no entry for {repoId} at '{rev}'" +
                (entry is null ? "" : $" (it pins revision '{entry.Revision}')") + ". Run `dotnet onnx lock --update` and commit the lock file.");
        var pin = pinned ? new HubPin(entry!.Commit!, [.. entry.Files.Select(f => new PinnedFile(f.Path, f.Size, f.Sha256))]) : null;
        var wanted = file;
        var result = await fetcher.FetchAsync(new HubFetchRequest(repoId, rev)
        {
            Files = file is null || companions is not null ? null : [file],
            Include = file is not null && companions is not null ? p => p == wanted || companions(p) : null,
            Pin = pin,
            Progress = progress,
        }, ct);
        if (file is not null && result.Files.All(f => f.Path != file))
            throw new OnnxBuildException(ErrorCodes.HubEntryNotFound,
                $"{itemName}: file '{file}' does not exist in Hugging Face repo '{repoId}' at revision '{rev}' (commit {result.Commit}). Check the File metadata against the repo's files.");
        lockSession.Record(key, new LockEntry
        {
            Source = "hub",
            Id = repoId,
            Revision = rev,
            Commit = result.Commit,
            File = file,
            Files = [.. result.Files.Select(f => new LockedFile(f.Path, f.Size, f.Sha256))],
        }, itemName);
        return result;
    }

    /// <summary>
    /// True when an item spec names a Hub repo: a valid repo id that is not a <c>nuget:</c> reference,
    /// not an .onnx path and not an existing local file or folder.
    /// </summary>
    public static bool IsHubRepo(string spec, string projectDirectory) =>
        !spec.StartsWith(NuGetSource.Prefix, StringComparison.OrdinalIgnoreCase)
        && !spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
        && RepoId.IsValid(spec)
        && !Path.Exists(Path.Combine(projectDirectory, spec));

    /// <summary>Normalises a File metadata value to a '/' separated relative path; refuses anything leaving the root.</summary>
    public static string SafeRelativePath(string file, string itemName)
    {
        var p = file.Trim().Replace('\\', '/');
        var parts = p.Split('/');
        if (p.Length == 0 || p.StartsWith('/') || p.Contains(':') || parts.Any(s => s is "" or "." or ".."))
            throw new OnnxBuildException(ErrorCodes.SourceFilePathInvalid,
                $"{itemName}: File '{file}' is not a relative path inside the repo or package (no leading '/', no '..', no drive). Fix the File metadata.");
        return p;
    }
}
