// A NuGet credential-provider plugin for tests: `dotnet OnnxBuildTasks.NuGetTestPlugin.dll -Plugin`, found by NuGet
// through NUGET_PLUGIN_PATHS. It claims the Authentication operation and answers GetAuthenticationCredentials for
// http://host:PORT/... from the file $OBT_TEST_PLUGIN_ANSWERS/PORT.txt (line 1 username, line 2 password); without
// that file it answers NotFound. Each request is appended to PORT.log as "isRetry=.. nonInteractive=.." (never the
// password), so tests can see what the client asked. It exits when the client closes it or the client process ends.
using System.Diagnostics;
using NuGet.Protocol.Plugins;
using OnnxBuildTasks.NuGetTestPlugin;

if (!args.Contains("-Plugin", StringComparer.OrdinalIgnoreCase))
{
    Console.Error.WriteLine("This is a NuGet credential-provider plugin for tests; NuGet starts it with -Plugin.");
    return 2;
}

var answers = Environment.GetEnvironmentVariable("OBT_TEST_PLUGIN_ANSWERS") ?? "";
var exit = new TaskCompletionSource();
var handlers = new RequestHandlers();
// Like real credential providers: Authentication is claimed source-agnostically; for a given source (NuGet asking
// whether the plugin downloads its packages) nothing is claimed.
handlers.TryAdd(MessageMethod.GetOperationClaims, new Handler<GetOperationClaimsRequest, GetOperationClaimsResponse>(
    r => new GetOperationClaimsResponse(r.PackageSourceRepository is null ? [OperationClaim.Authentication] : [])));
handlers.TryAdd(MessageMethod.Initialize, new Handler<InitializeRequest, InitializeResponse>(_ => new InitializeResponse(MessageResponseCode.Success)));
handlers.TryAdd(MessageMethod.SetLogLevel, new Handler<SetLogLevelRequest, SetLogLevelResponse>(_ => new SetLogLevelResponse(MessageResponseCode.Success)));
handlers.TryAdd(MessageMethod.MonitorNuGetProcessExit, new Handler<MonitorNuGetProcessExitRequest, MonitorNuGetProcessExitResponse>(r =>
{
    // Exit with the client (a test host), like a real provider; a stray plugin process must not outlive the tests.
    try { _ = Process.GetProcessById(r.ProcessId).WaitForExitAsync().ContinueWith(_ => exit.TrySetResult(), TaskScheduler.Default); }
    catch (ArgumentException) { exit.TrySetResult(); }
    return new MonitorNuGetProcessExitResponse(MessageResponseCode.Success);
}));
handlers.TryAdd(MessageMethod.GetAuthenticationCredentials, new Handler<GetAuthenticationCredentialsRequest, GetAuthenticationCredentialsResponse>(r => Answer(answers, r)));
handlers.TryAdd(MessageMethod.Close, new CloseHandler(exit));

using var plugin = await PluginFactory.CreateFromCurrentProcessAsync(handlers, ConnectionOptions.CreateDefault(), CancellationToken.None);
plugin.Closed += (_, _) => exit.TrySetResult();
plugin.Connection.Faulted += (_, _) => exit.TrySetResult();
await exit.Task;
return 0;

static GetAuthenticationCredentialsResponse Answer(string answers, GetAuthenticationCredentialsRequest request)
{
    var port = request.Uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    File.AppendAllText(Path.Combine(answers, port + ".log"), $"isRetry={request.IsRetry} nonInteractive={request.IsNonInteractive} canShowDialog={request.CanShowDialog}\n");
    var file = Path.Combine(answers, port + ".txt");
    if (!File.Exists(file))
        return new GetAuthenticationCredentialsResponse(null, null, "no credentials for this feed", null, MessageResponseCode.NotFound);
    var lines = File.ReadAllLines(file);
    return new GetAuthenticationCredentialsResponse(lines[0], lines[1], null, ["Basic"], MessageResponseCode.Success);
}
