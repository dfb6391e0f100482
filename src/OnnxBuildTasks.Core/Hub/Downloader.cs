using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// Downloads one blob into its <c>.incomplete</c> file, hashing while writing: resumes with
/// <c>Range</c> after a broken connection, restarts when the server ignores the range, retries
/// transient failures with backoff, and downloads once more when the result does not verify. The
/// Hub's resolve headers (X-Repo-Commit, X-Linked-Etag / ETag, X-Linked-Size) must agree with the
/// file list before a byte is written.
/// </summary>
internal sealed class Downloader(HubClient client)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Fills <paramref name="incomplete"/> with the verified file; returns its (sha256, git sha1).</summary>
    public async Task<(string Sha256, string GitSha1)> DownloadAsync(
        Uri url, string incomplete, RemoteFile file, HubTarget target, IProgress<long>? progress, CancellationToken ct)
    {
        var refetched = false;
        while (true)
        {
            (string Sha256, string GitSha1) hashes;
            try
            {
                hashes = await client.WithRetries(target, () => Attempt(url, incomplete, file, target, progress, ct), ct);
            }
            catch (OnnxBuildException e) when (e.Code == ErrorCodes.HubBadResponse)
            {
                File.Delete(incomplete);   // a contradicting answer: no byte of it (or of earlier attempts) is kept
                throw;
            }
            if (BlobVerifier.Matches(hashes, file.Hash)) return hashes;
            File.Delete(incomplete);
            if (refetched)
                throw new OnnxBuildException(ErrorCodes.HubIntegrityFailed,
                    $"{target} did not match its {file.Hash.Kind} {file.Hash.Hex} after downloading it twice (got sha256 {hashes.Sha256}). The server or a proxy is corrupting it; try again later.");
            refetched = true;
        }
    }

    private async Task<(string Sha256, string GitSha1)> Attempt(Uri url, string incomplete, RemoteFile expected, HubTarget target, IProgress<long>? progress, CancellationToken ct)
    {
        var (size, kind) = (expected.Size, expected.Hash.Kind);
        await using var file = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 0);
        var have = file.Length > size ? 0 : file.Length;
        using var hasher = new BlobVerifier.Hasher(size, gitSha1: kind == HashKind.GitSha1);
        if (have < size)
        {
            using var response = await client.SendResolveAsync(url, have, target, h => h.Check(expected, target.Revision, target), ct);
            HubErrors.ThrowIfError(response, target, client.Settings);
            var resumed = have > 0 && (int)response.StatusCode == 206 && response.Content.Headers.ContentRange?.From == have;
            if (!resumed) have = 0;   // a 200 (range ignored) restarts from the first byte
            if ((int)response.StatusCode != 416)
            {
                HashPrefix(file, have, hasher);
                file.SetLength(have);
                file.Position = have;
                progress?.Report(have);
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await Copy(body, file, hasher, progress, target, ct);
                if (file.Length != size)
                    throw new TransientHubException(ErrorCodes.HubUnreachable,
                        $"The connection closed after {file.Length} of {size} bytes of {target}.");
                return hasher.Finish();
            }
        }
        HashPrefix(file, size, hasher);
        return hasher.Finish();
    }

    // Two buffers: while one chunk is written and hashed, the next one is already being received.
    private async Task Copy(Stream body, FileStream file, BlobVerifier.Hasher hasher, IProgress<long>? progress, HubTarget target, CancellationToken ct)
    {
        byte[][] buffers = [new byte[BufferSize], new byte[BufferSize]];
        var pending = Task.CompletedTask;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        for (var i = 0; ; i ^= 1)
        {
            idle.CancelAfter(client.Retry.IdleTimeout);
            int n;
            try
            {
                n = await body.ReadAsync(buffers[i], idle.Token);
            }
            catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                await pending;
                await file.FlushAsync(CancellationToken.None);
                throw new TransientHubException(ErrorCodes.HubUnreachable,
                    $"The download of {target} broke off after {file.Length} bytes: {e.Message}.", inner: e);
            }
            await pending;
            if (n == 0) break;
            pending = WriteAndHash(file, buffers[i].AsMemory(0, n), hasher, progress, ct);
        }
        await file.FlushAsync(ct);
    }

    private static async Task WriteAndHash(FileStream file, ReadOnlyMemory<byte> chunk, BlobVerifier.Hasher hasher, IProgress<long>? progress, CancellationToken ct)
    {
        await file.WriteAsync(chunk, ct);
        hasher.Append(chunk.Span);
        progress?.Report(file.Position);
    }

    private static void HashPrefix(FileStream file, long length, BlobVerifier.Hasher hasher)
    {
        file.Position = 0;
        var buf = new byte[BufferSize];
        var left = length;
        while (left > 0)
        {
            var n = file.Read(buf, 0, (int)Math.Min(buf.Length, left));
            if (n == 0) break;
            hasher.Append(buf.AsSpan(0, n));
            left -= n;
        }
    }
}
