using System.CommandLine;
using System.Globalization;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>
/// <c>dotnet onnx convert &lt;in.onnx&gt; --opset N -o &lt;out.onnx&gt; [--inputs inputs.json] [--atol X]</c>:
/// converts the default-domain opset, checks the result, compares it with the original in ONNX
/// Runtime and writes it atomically; prints the conversion report. Nothing is written on failure.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("model") { Description = "The .onnx file to convert (external data beside it)." };
        var opset = new Option<int>("--opset") { Description = $"Target ai.onnx opset ({OnnxBuildTasks.Opset.OpsetConverter.MinOpset}..{OnnxBuildTasks.Opset.OpsetConverter.MaxOpset}).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the converted model.", Required = true };
        var inputs = new Option<string?>("--inputs") { Description = "inputs.json fed to both models for the comparison instead of generated sample inputs." };
        var atol = new Option<double>("--atol") { Description = "Largest absolute difference accepted between the two models' outputs.", DefaultValueFactory = _ => 1e-4 };
        var command = new Command("convert", "Convert a model to another ONNX opset, up or down, and validate it against the original with ONNX Runtime.")
        {
            input, opset, output, inputs, atol,
        };
        command.SetAction(parseResult => ToolErrors.Run(parseResult, writer =>
        {
            var inputsPath = parseResult.GetValue(inputs);
            var result = OpsetFileConverter.Convert(parseResult.GetValue(input)!, parseResult.GetValue(output)!, parseResult.GetValue(opset),
                new OpsetFileConversionOptions
                {
                    Inputs = inputsPath is null ? null : TensorJson.ReadFile(inputsPath),
                    Atol = parseResult.GetValue(atol),
                    ItemName = parseResult.GetValue(input),
                });
            writer.Write(result.Conversion.ToText());
            if (result.Validation is { } v)
            {
                var inv = CultureInfo.InvariantCulture;
                writer.WriteLine($"validated against the original on {(v.Inputs.Any(i => i.Generated) ? "generated" : "given")} inputs (atol {v.Atol.ToString("G3", inv)}):");
                foreach (var o in v.Outputs)
                    writer.WriteLine($"  {o.Name}: max abs diff {(o.MaxAbsDiff is double d ? d.ToString("G3", inv) : "-")}");
            }
            writer.WriteLine($"wrote {parseResult.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
