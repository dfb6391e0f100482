using System.Text.Json;
using OnnxBuildTasks.Tests;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Integration;

/// <summary>
/// samples/QuickStart, copied to a temporary folder, built against the packed package and run: it prints
/// where the model is, its inputs and outputs, and one labelled line per sentence.
/// </summary>
[Collection("dotnet build")]
public sealed class QuickStartSampleTests
{
    // The sample ships this fixture's reference.onnx and inputs.json; its outputs.json is what PyTorch computed.
    private const string SampleFixture = "distilbert-text-classification";

    [Fact]
    public void QuickStartBuildsAgainstThePackedPackageAndPrintsALabelPerSentence()
    {
        var sample = Path.Combine(PackedPackage.RepoRoot, "samples", "QuickStart");
        var fixture = Fixtures.Path("hf-tiny", SampleFixture);
        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture, "reference.onnx")), File.ReadAllBytes(Path.Combine(sample, "models", "sentiment.onnx")));
        Assert.Equal(File.ReadAllText(Path.Combine(fixture, "inputs.json")), File.ReadAllText(Path.Combine(sample, "models", "sentiment.inputs.json")));

        using var dir = Fixtures.NewTempDir();
        var app = dir.Combine("QuickStart");
        Directory.CreateDirectory(Path.Combine(app, "models"));
        foreach (var file in new[] { "QuickStart.csproj", "Program.cs", "models/sentiment.onnx", "models/sentiment.inputs.json" })
            File.Copy(Path.Combine(sample, file), Path.Combine(app, file));
        // The sample's nuget.config and version lookup are relative to the repository; the copy gets the packed
        // folder and nuget.org, and reads packages the machine already has (ONNX Runtime) from the user's folder.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="onnxbuildtasks" value="{PackedPackage.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user" value="{UserPackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        var build = DotnetCli.Run(app, "build", "-v:n", $"-p:OnnxBuildTasksVersion={PackedPackage.Version}");
        Assert.True(build.ExitCode == 0, build.ToString());
        var bin = Path.Combine(app, "bin", "Debug", "net10.0");
        Assert.Equal(File.ReadAllBytes(Path.Combine(sample, "models", "sentiment.onnx")), File.ReadAllBytes(Path.Combine(bin, "models", "sentiment", "model.onnx")));

        var run = DotnetCli.Run(dir.FullPath, Path.Combine(bin, "QuickStart.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"model: {Path.Combine("models", "sentiment", "model.onnx")}", lines[0]);
        Assert.Equal("inputs: input_ids, attention_mask; outputs: logits", lines[1]);

        // One line per sentence, labelled as PyTorch's logits and the checkpoint's id2label say.
        var logits = TensorJson.ReadFile(Path.Combine(fixture, "outputs.json"))["logits"];
        var mask = TensorJson.ReadFile(Path.Combine(fixture, "inputs.json"))["attention_mask"];
        var labels = Id2Label(Path.Combine(fixture, "config.json"));
        var scores = logits.ToDoubles();
        int batch = (int)logits.Shape[0], classes = (int)logits.Shape[1], sequence = (int)mask.Shape[1];
        var sentences = lines.Where(l => l.StartsWith("sentence ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(batch, sentences.Length);
        for (int row = 0; row < batch; row++)
        {
            var rowScores = scores.AsSpan(row * classes, classes).ToArray();
            var label = labels[Array.IndexOf(rowScores, rowScores.Max())];
            var tokens = mask.ToDoubles().Skip(row * sequence).Take(sequence).Count(m => m == 1);
            Assert.StartsWith($"sentence {row} ({tokens} tokens): {label}  ", sentences[row]);
        }
    }

    private static string[] Id2Label(string configPath)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        return config.RootElement.GetProperty("id2label").EnumerateObject()
            .OrderBy(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Value.GetString()!).ToArray();
    }

    private static string UserPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
