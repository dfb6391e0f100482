using System.CommandLine;
using System.Globalization;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>
/// <c>dotnet onnx validate &lt;model.onnx&gt; [--reference ref.onnx] [--inputs inputs.json --expected outputs.json] [--tokenizer folder] [--atol X] [--report report.json]</c>:
/// checks the model, runs it with ONNX Runtime and compares its outputs.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The .onnx file to validate." };
        var reference = new Option<string?>("--reference") { Description = "A reference .onnx model run on the same inputs; its outputs are the expected ones." };
        var inputs = new Option<string?>("--inputs") { Description = "inputs.json to feed instead of generated sample inputs (batch 2, sequence 8)." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "A folder with the model's tokenizer files (e.g. its checkpoint): without --inputs, two sample sentences are tokenized with it instead of generating ids." };
        var expected = new Option<string?>("--expected") { Description = "outputs.json with the expected outputs." };
        var reportPath = new Option<string?>("--report") { Description = "Also write the validation report as json to this file." };
        var atol = new Option<double>("--atol") { Description = "Largest absolute difference accepted per element.", DefaultValueFactory = _ => 1e-4 };
        var command = new Command("validate", "Check a model's structure, run it with ONNX Runtime and compare its outputs with a reference model or expected outputs.")
        {
            model, reference, inputs, expected, tokenizer, atol, reportPath,
        };
        command.SetAction(parseResult => ToolErrors.Run(parseResult, output =>
        {
            var modelPath = parseResult.GetValue(model)!;
            var referencePath = parseResult.GetValue(reference);
            var expectedPath = parseResult.GetValue(expected);
            if (referencePath is not null && expectedPath is not null)
                throw new OnnxBuildException(ErrorCodes.ValidationInputMismatch, "Give either --reference or --expected, not both.");
            var inputsPath = parseResult.GetValue(inputs);
            var report = ModelValidator.Validate(new ValidationRequest
            {
                ModelPath = modelPath,
                ReferenceModelPath = referencePath,
                Inputs = inputsPath is null ? null : TensorJson.ReadFile(inputsPath),
                Expected = expectedPath is null ? null : TensorJson.ReadFile(expectedPath),
                TextFolder = parseResult.GetValue(tokenizer),
                Atol = parseResult.GetValue(atol),
                ItemName = modelPath,
            });
            Print(report, output);
            if (parseResult.GetValue(reportPath) is string json)
                report.WriteJson(json);
            report.ThrowIfFailed();
            return 0;
        }));
        return command;
    }

    private static void Print(ValidationReport report, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"Model: {report.ModelPath}");
        var source = report.InputsSource == ValidationReport.GivenInputs ? "" : $" ({report.InputsSource})";
        output.WriteLine($"Inputs{source}: " +
            string.Join(", ", report.Inputs.Select(i => $"{i.Name} {i.ElementType}[{string.Join(",", i.Shape)}]")));
        if (report.InputsNote is not null) output.WriteLine($"  {report.InputsNote}");
        output.WriteLine($"Compared with: {report.Reference ?? "nothing (run only)"}; atol {report.Atol.ToString("G3", inv)}");
        int width = report.Outputs.Count == 0 ? 0 : report.Outputs.Max(o => o.Name.Length);
        foreach (var o in report.Outputs)
        {
            var diff = o.MaxAbsDiff is double d ? "max abs diff " + d.ToString("G3", inv) : "";
            var shape = o.Shape is null ? "(missing)" : "[" + string.Join(",", o.Shape) + "]";
            var verdict = o.Passed ? (report.Reference is null ? "ran" : "ok") : "FAILED " + o.FailureCode + ": " + o.Failure;
            output.WriteLine($"  {o.Name.PadRight(width)}  {shape,-16} {diff,-24} {verdict}");
        }
        output.WriteLine(report.Passed ? "Validation passed." : "Validation FAILED.");
    }
}
