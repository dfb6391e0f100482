using System.CommandLine;
using System.IO.Enumeration;
using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary><c>dotnet onnx download &lt;repo&gt; [--revision R] [--include GLOB]... [--offline]</c>.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var repo = new Argument<string>("repo") { Description = "Hub repo id: name or org/name." };
        var revision = new Option<string>("--revision") { Description = "Branch, tag or commit [main]." };
        var include = new Option<string[]>("--include")
        {
            Description = "Only files matching this glob (repeatable); without it, the files an export needs.",
            AllowMultipleArgumentsPerToken = true,
        };
        var offline = new Option<bool>("--offline") { Description = "Serve from the Hugging Face cache only (also HF_HUB_OFFLINE)." };
        var cmd = new Command("download", "Download a Hub repo's files into the Hugging Face cache (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE apply).")
        {
            repo, revision, include, offline,
        };
        cmd.SetAction(pr => SourceCommandSupport.Run(async () =>
        {
            var globs = pr.GetValue(include) ?? [];
            using var client = new HubClient(SourceCommandSupport.Settings(pr.GetValue(offline)));
            var result = await new HubFetcher(client).FetchAsync(new HubFetchRequest(pr.GetValue(repo)!, pr.GetValue(revision) ?? "main")
            {
                Include = globs.Length == 0 ? null : path => globs.Any(g => Matches(g, path)),
                Progress = SourceCommandSupport.TerminalProgress(),
            });
            Console.WriteLine($"{result.RepoId} @ {result.Commit}");
            foreach (var f in result.Files) Console.WriteLine($"  {f.Path}  {SourceCommandSupport.Bytes(f.Size)}  sha256:{f.Sha256}");
            Console.WriteLine(result.SnapshotFolder);
            return 0;
        }));
        return cmd;
    }

    // A glob without '/' matches file names anywhere (like huggingface-cli's allow_patterns on names); with '/', the whole path.
    private static bool Matches(string glob, string path) =>
        FileSystemName.MatchesSimpleExpression(glob, glob.Contains('/') ? path : path[(path.LastIndexOf('/') + 1)..]);
}
