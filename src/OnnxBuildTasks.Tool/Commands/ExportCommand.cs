using System.CommandLine;
using System.Globalization;
using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>
/// <c>dotnet onnx export &lt;source&gt; -o &lt;dir&gt; [--task T] [--opset N] [--precision fp16] [--atol X] [--no-validate] …</c>:
/// runs one source (a local checkpoint folder, an .onnx file, or anything else an OnnxModel item accepts) through
/// the pipeline — export, conversion, validation, cache — and writes model.onnx plus config and tokenizer files to the folder.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A checkpoint folder (config.json + weights), an .onnx file, or a Hub repo id." };
        var output = new Option<string>("--output", "-o") { Description = "Folder that receives model.onnx, config.json and the tokenizer files.", Required = true };
        var task = new Option<string?>("--task") { Description = "optimum task (feature-extraction, fill-mask, text-classification, token-classification, question-answering, multiple-choice); inferred from config.json when omitted." };
        var opset = new Option<int?>("--opset") { Description = "Target ONNX opset [18]." };
        var revision = new Option<string?>("--revision") { Description = "Branch, tag or commit of a Hub repo [main]." };
        var precision = new Option<string?>("--precision") { Description = "fp32 or fp16 [fp32]." };
        var optimize = new Option<string?>("--optimize") { Description = "none, basic, extended or all: ONNX Runtime offline graph optimization [none]." };
        var quantize = new Option<string?>("--quantize") { Description = "none or dynamic [none]." };
        var atol = new Option<double?>("--atol") { Description = "Absolute tolerance for validation [1e-4; 1e-2 for fp16]." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Exported-model cache [$ONNXBUILD_CACHE, else the user cache folder]." };
        var noValidate = new Option<bool>("--no-validate") { Description = "Skip validation (by default a mismatch fails the export)." };
        var command = new Command("export", "Export a checkpoint to ONNX (or take an ONNX file), validate it and write it with its config and tokenizer files.")
        {
            source, output, task, opset, revision, precision, optimize, quantize, atol, noValidate, cacheDir,
        };
        command.SetAction(parseResult => ToolErrors.Run(parseResult, writer =>
        {
            var metadata = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Task"] = parseResult.GetValue(task),
                ["Opset"] = parseResult.GetValue(opset)?.ToString(CultureInfo.InvariantCulture),
                ["Revision"] = parseResult.GetValue(revision),
                ["Precision"] = parseResult.GetValue(precision),
                ["Optimize"] = parseResult.GetValue(optimize),
                ["Quantize"] = parseResult.GetValue(quantize),
                ["Atol"] = parseResult.GetValue(atol)?.ToString("R", CultureInfo.InvariantCulture),
                ["Validate"] = parseResult.GetValue(noValidate) ? "false" : null,
            };
            var request = ModelRequest.Parse(parseResult.GetValue(source)!, Directory.GetCurrentDirectory(), metadata);
            var context = new PipelineContext
            {
                CacheDirectory = CacheLocation.Resolve(parseResult.GetValue(cacheDir)),
                Offline = Environment.GetEnvironmentVariable("HF_HUB_OFFLINE") is "1" or "true" or "TRUE" or "True",
                HubEndpoint = Environment.GetEnvironmentVariable("HF_ENDPOINT"),
                Log = writer.WriteLine,
            };
            var result = new ModelPipeline(PipelineComponents.CreateDefault(), context).Run(request);
            string target = Path.GetFullPath(parseResult.GetValue(output)!);
            var written = WriteOutput(result, target);
            writer.WriteLine($"{request.DisplayName} -> {target} ({string.Join(", ", written)}){(result.CacheHit ? " [cached]" : "")}");
            return 0;
        }));
        return command;
    }

    // Each file lands atomically (temporary name, then rename).
    private static List<string> WriteOutput(PipelineResult result, string target)
    {
        Directory.CreateDirectory(target);
        var written = new List<string>();
        var files = result.Entry.Files.Select(f => (From: Path.Combine(result.Entry.Directory, f), Name: f));
        if (result.Request.IncludeTokenizer)
            files = files.Concat(result.Source.SideFiles.Select(f => (From: f, Name: Path.GetFileName(f))));
        foreach (var (from, name) in files)
        {
            if (written.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            string to = Path.Combine(target, name);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            string temp = to + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.Copy(from, temp, overwrite: true);
            File.Move(temp, to, overwrite: true);
            written.Add(name);
        }
        return written;
    }
}
