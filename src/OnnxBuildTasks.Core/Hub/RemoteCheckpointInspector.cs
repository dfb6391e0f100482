using System.Text;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// Describes a Hub repo's checkpoint without downloading its weights: config.json, then only the header of
/// each safetensors file (two bounded Range requests per file: the 8-byte length, then the JSON header),
/// validated by the same code as a local file against the size the Hub lists. Nothing is written to the cache.
/// </summary>
public static class RemoteCheckpointInspector
{
    private const int MaxSmallFile = 64 << 20;   // config.json and shard indexes are a few KB to a few MB

    /// <summary>Writes the description of <paramref name="repoId"/> at <paramref name="revision"/> to <paramref name="output"/>.</summary>
    public static async Task DescribeAsync(HubClient client, string repoId, string revision, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(output);
        RepoId.Validate(repoId);
        var listing = await client.GetRevisionAsync(repoId, revision, ct);
        string where = $"{repoId}@{listing.Commit}";

        var configBytes = await ReadWholeAsync(client, listing, "config.json", where, ct)
            ?? throw new OnnxBuildException(ErrorCodes.ConfigMissing,
                $"{where} has no config.json: it is not a transformers checkpoint (save_pretrained writes config.json beside the weights).");
        var config = ModelConfig.Parse(Encoding.UTF8.GetString(configBytes), where + "/config.json");

        IReadOnlyList<string> shards;
        var index = await ReadWholeAsync(client, listing, "model.safetensors.index.json", where, ct);
        if (index is not null)
            shards = SafetensorsIndex.Parse(index, where + "/model.safetensors.index.json").Shards;
        else if (listing.Files.ContainsKey("model.safetensors"))
            shards = ["model.safetensors"];
        else
            throw new OnnxBuildException(ErrorCodes.CheckpointNotFound, NoSafetensors(where, repoId, listing));

        var tensors = new List<CheckpointInspector.InspectedTensor>();
        foreach (string shard in shards)
        {
            var header = await ReadHeaderAsync(client, listing, shard, where, ct);
            foreach (var e in header.Entries)
                tensors.Add(new CheckpointInspector.InspectedTensor(e.Name, e.DType, e.Shape, null, (shard, e.Begin, e.End),
                    CheckpointTensor.ElementCountOf(e.Shape), e.End - e.Begin));
        }
        CheckpointInspector.Write(output, $"Repo: {where} (headers read remotely; tied weights absent from the files are not listed)",
            $"Safetensors ({string.Join(", ", shards)})", config, tensors);
    }

    private static async Task<SafetensorsHeader> ReadHeaderAsync(HubClient client, RepoListing listing, string file, string where, CancellationToken ct)
    {
        string origin = $"{where}/{file}";
        long size = SizeOf(listing, file, where);
        var first8 = size >= 8 ? await client.ReadRangeAsync(listing.RepoId, listing.Commit, file, 0, 8, ct) : [];
        long length = SafetensorsHeader.ReadLength(origin, first8, size);
        var header = await client.ReadRangeAsync(listing.RepoId, listing.Commit, file, 8, checked((int)length), ct);
        return SafetensorsHeader.Parse(origin, header, size);
    }

    // A small file's bytes, or null when the repo does not have it.
    private static async Task<byte[]?> ReadWholeAsync(HubClient client, RepoListing listing, string file, string where, CancellationToken ct)
    {
        if (!listing.Files.ContainsKey(file)) return null;
        long size = SizeOf(listing, file, where);
        if (size > MaxSmallFile)
            throw new OnnxBuildException(ErrorCodes.HubBadResponse, $"{where}/{file} is {size} bytes, more than a {file} can reasonably be; not reading it.");
        return size == 0 ? [] : await client.ReadRangeAsync(listing.RepoId, listing.Commit, file, 0, (int)size, ct);
    }

    private static long SizeOf(RepoListing listing, string file, string where)
    {
        if (!listing.Files.TryGetValue(file, out var remote))
            throw new OnnxBuildException(ErrorCodes.ShardMissing, $"{where} has no '{file}', which its shard index names. The repo is incomplete.");
        return remote?.Size ?? throw new OnnxBuildException(ErrorCodes.HubBadResponse,
            $"The Hub's listing of {where} gives no size for '{file}', so its header cannot be read remotely. Download the repo (dotnet onnx download) and inspect the folder.");
    }

    private static string NoSafetensors(string where, string repoId, RepoListing listing)
    {
        bool bin = listing.Files.ContainsKey("pytorch_model.bin") || listing.Files.ContainsKey("pytorch_model.bin.index.json");
        return bin
            ? $"{where} has only PyTorch .bin weights; remote inspection reads safetensors headers. Download it (dotnet onnx download {repoId}) and inspect the snapshot folder."
            : $"{where} has no model.safetensors or model.safetensors.index.json to inspect.";
    }
}
