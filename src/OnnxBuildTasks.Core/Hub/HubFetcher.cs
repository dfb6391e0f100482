using System.Collections.Concurrent;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// Fetches files of a Hub repo into the Hugging Face cache and returns them verified. A pinned or
/// known commit whose files are in the cache (ours or Python's) costs no request at all; otherwise one
/// listing request resolves the revision and gives every file's hash (a file listed without one is
/// described by a HEAD of its resolve URL, as huggingface_hub does), and missing blobs download in
/// parallel under a cross-process lock per blob, refused when the resolve headers contradict the listing.
/// </summary>
public sealed class HubFetcher(HubClient client)
{
    private const int Parallelism = 4;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(30);
    private readonly HubCache _cache = new(client.Settings.CacheDir);
    private readonly Downloader _downloader = new(client);

    /// <summary>The client used for requests.</summary>
    public HubClient Client { get; } = client;

    /// <summary>The cache this fetcher writes.</summary>
    public HubCache Cache => _cache;

    /// <summary>Fetches what <paramref name="request"/> asks for.</summary>
    public async Task<HubFetchResult> FetchAsync(HubFetchRequest request, CancellationToken ct = default)
    {
        var repo = RepoId.Validate(request.RepoId);
        RepoListing? listing = null;
        string commit;
        if (request.Pin is { } pin) commit = pin.Commit;
        else if (RepoId.IsCommit(request.Revision)) commit = request.Revision;
        else if (Client.Settings.Offline)
            commit = _cache.ReadRef(repo, request.Revision) ?? throw OfflineMiss(new HubTarget(repo, request.Revision), "the revision was never resolved");
        else
        {
            listing = await Client.GetRevisionAsync(repo, request.Revision, ct);
            commit = listing.Commit;
            _cache.WriteRef(repo, request.Revision, commit);
        }

        var session = new Session(this, request, repo, commit, listing, ct);
        var files = request.Pin is { } p ? await session.FetchPinned(p) : await session.FetchSelected();
        return new HubFetchResult(repo, request.Revision, commit, _cache.SnapshotFolder(repo, commit),
            [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)]);
    }

    private OnnxBuildException OfflineMiss(HubTarget target, string why) => new(ErrorCodes.HubOfflineMiss,
        $"Offline mode (OnnxOffline / HF_HUB_OFFLINE) and {target} is not in the Hugging Face cache {_cache.Root} ({why}). Build once online, or turn offline mode off.");

    /// <summary>One fetch: the listing is asked for at most once, and only when the cache cannot answer.</summary>
    private sealed class Session(HubFetcher owner, HubFetchRequest request, string repo, string commit, RepoListing? listing, CancellationToken ct)
    {
        private HubCache Cache => owner._cache;

        public async Task<IReadOnlyList<FetchedFile>> FetchPinned(HubPin pin)
        {
            var result = new ConcurrentBag<FetchedFile>();
            var misses = new List<PinnedFile>();
            foreach (var f in pin.Files)
            {
                var (path, _, exists) = Cache.ReadSnapshotEntry(repo, commit, f.Path);
                if (exists && BlobVerifier.Length(path) == f.Size && BlobVerifier.Sha256Of(path) == f.Sha256)
                    result.Add(new FetchedFile(f.Path, f.Size, f.Sha256, path));
                else misses.Add(f);
            }
            if (misses.Count == 0) return [.. result];
            var remote = await Listing(misses[0].Path);
            await Parallel.ForEachAsync(misses, Options, async (f, _) =>
            {
                var got = await Ensure(await Remote(remote, f.Path));
                if (got.Sha256 != f.Sha256 || got.Size != f.Size)
                    throw new OnnxBuildException(ErrorCodes.LockHashMismatch,
                        $"'{f.Path}' of Hugging Face repo '{repo}' at commit {commit} has sha256 {got.Sha256} ({got.Size} bytes) but the lock file records {f.Sha256} ({f.Size} bytes). Check the source, then run `dotnet onnx lock --update`.");
                result.Add(got);
            });
            return [.. result];
        }

        public async Task<IReadOnlyList<FetchedFile>> FetchSelected()
        {
            if (listing is null && TryFromCache() is { } cached) return cached;
            var remote = await Listing(null);
            var wanted = Want(remote.Files.Keys.ToHashSet(StringComparer.Ordinal), authoritative: true, out var index);
            var fetched = new ConcurrentBag<FetchedFile>();
            await Parallel.ForEachAsync(wanted, Options, async (path, _) => fetched.Add(await Ensure(await Remote(remote, path))));
            if (index is not null)
            {
                var shards = CheckpointFiles.ShardsOf(Cache.SnapshotPath(repo, commit, index), index);
                await Parallel.ForEachAsync(shards, Options, async (path, _) => fetched.Add(await Ensure(await Remote(remote, path))));
            }
            return [.. fetched];
        }

        private ParallelOptions Options => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct };

        // The files asked for among those available; throws when they cannot be satisfied. Only an
        // authoritative list (the Hub's, not a snapshot's) may record a file as missing in .no_exist.
        private List<string> Want(ISet<string> available, bool authoritative, out string? index)
        {
            index = null;
            if (request.Files is { } explicitFiles)
            {
                foreach (var f in explicitFiles.Where(f => !available.Contains(f)))
                {
                    if (authoritative) Cache.MarkMissing(repo, commit, f);
                    throw new OnnxBuildException(ErrorCodes.HubEntryNotFound,
                        $"File '{f}' does not exist in Hugging Face repo '{repo}' at revision '{request.Revision}' (commit {commit}). Check the File metadata against the repo's files.");
                }
                return [.. explicitFiles];
            }
            if (request.Include is { } include) return [.. available.Where(include).Order(StringComparer.Ordinal)];
            var selection = CheckpointFiles.Select(available.ToList()) ?? throw new OnnxBuildException(ErrorCodes.HubNoCheckpoint,
                $"Hugging Face repo '{repo}' at '{request.Revision}' has no config.json with safetensors or pytorch_model.bin weights. Use File to take an .onnx file from it instead.");
            index = selection.Index;
            return [.. selection.Files];
        }

        // A commit known without asking (pinned by a 40-hex revision or a ref) whose wanted files are all in the snapshot.
        // Each is verified against its blob's name; copies (where symlinks are not allowed) carry no etag and are trusted offline only.
        private IReadOnlyList<FetchedFile>? TryFromCache()
        {
            var folder = Cache.SnapshotFolder(repo, commit);
            var present = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal)
                : [];
            if (request.Files is { } files && files.FirstOrDefault(f => Cache.IsKnownMissing(repo, commit, f)) is { } gone)
                throw new OnnxBuildException(ErrorCodes.HubEntryNotFound,
                    $"File '{gone}' does not exist in Hugging Face repo '{repo}' at commit {commit} (recorded in the cache's .no_exist). Check the File metadata.");
            List<string> wanted;
            try
            {
                if (request.Include is not null && !owner.Client.Settings.Offline) return null;   // a glob needs the full list
                wanted = Want(present, authoritative: false, out var index);
                if (index is not null) wanted.AddRange(CheckpointFiles.ShardsOf(Path.Combine(folder, index), index));
            }
            catch (OnnxBuildException) when (!owner.Client.Settings.Offline)
            {
                return null;
            }
            catch (OnnxBuildException e)
            {
                throw owner.OfflineMiss(new HubTarget(repo, request.Revision), e.Message);
            }
            var result = new List<FetchedFile>();
            foreach (var file in wanted)
            {
                var (path, etag, exists) = Cache.ReadSnapshotEntry(repo, commit, file);
                var expected = etag is null ? null : ExpectedHash.FromEtag(etag);
                var sha = !exists ? null
                    : expected is { } e ? BlobVerifier.VerifiedSha256(path, e)
                    : owner.Client.Settings.Offline ? BlobVerifier.Sha256Of(path) : null;
                if (sha is null)
                {
                    if (owner.Client.Settings.Offline)
                        throw owner.OfflineMiss(new HubTarget(repo, request.Revision, file), exists ? "the cached copy is corrupted" : "the file was never downloaded");
                    return null;
                }
                result.Add(new FetchedFile(file, BlobVerifier.Length(path), sha, path));
            }
            return result;
        }

        private readonly SemaphoreSlim _listingGate = new(1, 1);

        private async Task<RepoListing> Listing(string? file)
        {
            await _listingGate.WaitAsync(ct);
            try
            {
                if (owner.Client.Settings.Offline)
                    throw owner.OfflineMiss(new HubTarget(repo, request.Revision, file), "the file list is needed");
                return listing ??= await owner.Client.GetRevisionAsync(repo, commit, ct);
            }
            finally
            {
                _listingGate.Release();
            }
        }

        // The file as listed; where the listing gave no hash, as the resolve headers describe it (huggingface_hub's HEAD).
        private async Task<RemoteFile> Remote(RepoListing remote, string path)
        {
            if (!remote.Files.TryGetValue(path, out var listed))
                throw new OnnxBuildException(ErrorCodes.HubEntryNotFound,
                    $"File '{path}' does not exist in Hugging Face repo '{repo}' at commit {commit}. Check the File metadata or the checkpoint's index.");
            if (listed is not null) return listed;
            var target = new HubTarget(repo, commit, path);
            var headers = await owner.Client.GetResolveHeadersAsync(owner.Client.ResolveUrl(repo, commit, path), target, ct);
            return headers.Describe(path, commit, target);
        }

        // The blob in the cache, verified; downloaded (once across processes) when missing or corrupted.
        private async Task<FetchedFile> Ensure(RemoteFile file)
        {
            var etag = file.Hash.Hex;
            var blob = Cache.BlobPath(repo, etag);
            if (Verified(blob, file) is { } hit) return Linked(file, hit);
            using var _ = await FileLock.AcquireAsync(Cache.LockPath(repo, etag), LockTimeout, ct);
            if (Verified(blob, file) is { } other) return Linked(file, other);   // another process finished it
            if (File.Exists(blob)) File.Delete(blob);                             // corrupted: never used
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            var incomplete = blob + ".incomplete";
            var target = new HubTarget(repo, commit, file.Path);
            var progress = request.Progress is { } p ? new Progress<long>(b => p.Report(new DownloadProgress(file.Path, b, file.Size))) : null;
            var hashes = await owner._downloader.DownloadAsync(owner.Client.ResolveUrl(repo, commit, file.Path), incomplete, file, target, progress, ct);
            HubCache.Guard(() => File.Move(incomplete, blob, overwrite: true), blob);
            BlobVerifier.Remember(blob, hashes);
            return Linked(file, hashes.Sha256);
        }

        private static string? Verified(string blob, RemoteFile file) =>
            File.Exists(blob) && BlobVerifier.Length(blob) == file.Size ? BlobVerifier.VerifiedSha256(blob, file.Hash) : null;

        private FetchedFile Linked(RemoteFile file, string sha256)
        {
            var (_, etag, exists) = Cache.ReadSnapshotEntry(repo, commit, file.Path);
            var pointer = exists && etag == file.Hash.Hex
                ? Cache.SnapshotPath(repo, commit, file.Path)
                : Cache.LinkSnapshot(repo, commit, file.Path, file.Hash.Hex);
            return new FetchedFile(file.Path, file.Size, sha256, pointer);
        }
    }
}
