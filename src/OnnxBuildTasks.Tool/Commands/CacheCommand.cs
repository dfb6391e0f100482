using System.CommandLine;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary><c>dotnet onnx cache list|verify|prune</c> over the Hugging Face cache.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List cached Hub repos: refs, snapshots, size.");
        list.SetAction(_ => SourceCommandSupport.Run(() =>
        {
            var scanner = Scanner(out var root);
            Console.WriteLine(root);
            foreach (var r in scanner.List())
            {
                Console.WriteLine($"{r.RepoId}  {r.Blobs} blobs  {SourceCommandSupport.Bytes(r.Bytes)}");
                foreach (var (rev, commit) in r.Refs.OrderBy(p => p.Key, StringComparer.Ordinal)) Console.WriteLine($"  ref {rev} -> {commit}");
                foreach (var s in r.Snapshots) Console.WriteLine($"  snapshot {s}");
            }
            return Task.FromResult(0);
        }));

        var verify = new Command("verify", "Hash every cached blob against its name (sha256 / git sha1); corrupted blobs are re-fetched on next use.");
        verify.SetAction(_ => SourceCommandSupport.Run(() =>
        {
            var bad = Scanner(out var _).Verify();
            foreach (var b in bad) Console.WriteLine($"corrupted: {b.RepoId} {b.Path} ({b.Reason})");
            if (bad.Count > 0)
                throw new OnnxBuildException(ErrorCodes.HubIntegrityFailed,
                    $"{bad.Count} cached blob(s) are corrupted; run `dotnet onnx cache prune` after deleting them, or just build: they are downloaded again when needed.");
            Console.WriteLine("all blobs verified");
            return Task.FromResult(0);
        }));

        var prune = new Command("prune", "Delete blobs no snapshot uses, broken snapshot links and abandoned .incomplete files.");
        prune.SetAction(_ => SourceCommandSupport.Run(() =>
        {
            var (removed, bytes) = Scanner(out var _).Prune();
            foreach (var r in removed) Console.WriteLine($"removed {r}");
            Console.WriteLine($"{removed.Count} entries removed, {SourceCommandSupport.Bytes(bytes)} freed");
            return Task.FromResult(0);
        }));

        return new Command("cache", "Inspect and clean the Hugging Face cache (HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub).")
        {
            list, verify, prune,
        };
    }

    private static HubCacheScanner Scanner(out string root)
    {
        var cache = new HubCache(SourceCommandSupport.Settings(false).CacheDir);
        root = cache.Root;
        return new HubCacheScanner(cache);
    }
}
