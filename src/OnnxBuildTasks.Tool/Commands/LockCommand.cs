using System.CommandLine;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>
/// <c>dotnet onnx lock [--project P] [--update|--locked] [--offline]</c>: resolves the project's Hub and
/// NuGet OnnxModel items, fetches them, and writes onnxmodels.lock.json (only when it changes).
/// </summary>
internal static class LockCommand
{
    public static Command Create()
    {
        var project = new Option<string>("--project") { Description = "Project file or its folder [current folder]." };
        var update = new Option<bool>("--update") { Description = "Resolve every source again (moves pinned branches to their current commit)." };
        var locked = new Option<bool>("--locked") { Description = "Fail if the lock file would change (like RestoreLockedMode)." };
        var offline = new Option<bool>("--offline") { Description = "Serve from the caches only." };
        var cmd = new Command("lock", "Write or check onnxmodels.lock.json for the project's Hub and NuGet models.")
        {
            project, update, locked, offline,
        };
        cmd.SetAction(pr => SourceCommandSupport.Run(async () =>
        {
            if (pr.GetValue(update) && pr.GetValue(locked))
                throw new Diagnostics.OnnxBuildException(Diagnostics.ErrorCodes.LockedModeChange, "--update and --locked exclude each other.");
            var projectPath = ProjectModelItems.FindProject(pr.GetValue(project));
            var projectDir = Path.GetDirectoryName(projectPath)!;
            var (items, lockSetting) = ProjectModelItems.Read(projectPath);
            var lockPath = Path.GetFullPath(lockSetting ?? LockFile.DefaultFileName, projectDir);
            var session = new LockSession(lockPath, pr.GetValue(locked), pr.GetValue(update));
            var isOffline = pr.GetValue(offline);
            using var client = new HubClient(SourceCommandSupport.Settings(isOffline));
            var hub = new HubSource(new HubFetcher(client), session);
            var nuget = new NuGetSource(session);
            foreach (var item in items)
            {
                var name = $"OnnxModel '{item.Include}'";
                if (item.Include.StartsWith(NuGetSource.Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    var r = await nuget.FetchAsync(item.Include, item.File, projectDir, isOffline || client.Settings.Offline, name);
                    Console.WriteLine($"{item.Include}: {r.Id} {r.Version} {item.File}");
                }
                else if (HubSource.IsHubRepo(item.Include, projectDir))
                {
                    var r = await hub.FetchAsync(item.Include, item.Revision, item.File, name, SourceCommandSupport.TerminalProgress());
                    Console.WriteLine($"{item.Include}: {r.Revision} -> {r.Commit} ({r.Files.Count} files)");
                }
            }
            foreach (var stale in session.PruneUnseen()) Console.WriteLine($"removed unused entry {stale}");
            Console.WriteLine(session.Writes > 0 ? $"wrote {lockPath}" : $"{lockPath} is up to date");
            return 0;
        }));
        return cmd;
    }
}
