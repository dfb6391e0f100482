using System.Security.Cryptography;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Commands;

public class ExportCommandTests
{
    [Fact]
    public void ExportsAValidatedModelWithConfigAndTokenizerFiles()
    {
        using var dir = Fixtures.NewTempDir();
        string output = dir.Combine("out");
        var (exit, stdout, error) = ToolRunner.Run("export", Fixtures.Path("hf-tiny", "bert-question-answering"), "-o", output,
            "--opset", "17", "--cache-dir", dir.Combine("cache"));

        Assert.True(exit == 0, error);
        Assert.Contains("export validated against the checkpoint's expected outputs", stdout);
        var model = OnnxModelFile.Load(Path.Combine(output, "model.onnx"));
        Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(["start_logits", "end_logits"], model.Graph.Output.Select(o => o.Name));
        Assert.True(File.Exists(Path.Combine(output, "config.json")));
        Assert.True(File.Exists(Path.Combine(output, "vocab.txt")));
        // metadata_props name each config and weight file of the checkpoint with its sha256.
        const string prefix = "onnxbuildtasks.source.sha256.";
        var hashes = model.MetadataProps.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
        Assert.Equal(["config.json", "model.safetensors", "pytorch_model.bin"], hashes.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, sha) in hashes)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Fixtures.Path("hf-tiny", "bert-question-answering", file)))), sha);

        var again = ToolRunner.Run("export", Fixtures.Path("hf-tiny", "bert-question-answering"), "-o", output, "--opset", "17", "--cache-dir", dir.Combine("cache"));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("[cached]", again.Output);
    }

    [Fact]
    public void Fp16ExportIsValidatedAtTheFp16Tolerance()
    {
        using var dir = Fixtures.NewTempDir();
        var (exit, _, error) = ToolRunner.Run("export", Fixtures.Path("hf-tiny", "distilbert-text-classification"), "-o", dir.Combine("out"),
            "--precision", "fp16", "--cache-dir", dir.Combine("cache"));
        Assert.True(exit == 0, error);
        var model = OnnxModelFile.Load(dir.Combine("out", "model.onnx"));
        Assert.Contains(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
    }

    [Fact]
    public void AMismatchFailsWithACodedErrorUnlessValidationIsOff()
    {
        using var dir = Fixtures.NewTempDir();
        string checkpoint = dir.Combine("ckpt");
        Directory.CreateDirectory(checkpoint);
        foreach (var f in Directory.GetFiles(Fixtures.Path("hf-tiny", "bert-text-classification")))
            File.Copy(f, Path.Combine(checkpoint, Path.GetFileName(f)));
        var outputs = TensorJson.ReadFile(Path.Combine(checkpoint, "outputs.json"));
        var logits = (float[])outputs["logits"].Data;
        logits[0] += 0.5f;
        File.WriteAllText(Path.Combine(checkpoint, "outputs.json"),
            "{\"logits\":{\"dtype\":\"float32\",\"shape\":[2,3],\"data\":[" + string.Join(",", logits.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]}}");

        var (exit, _, error) = ToolRunner.Run("export", checkpoint, "-o", dir.Combine("out"), "--cache-dir", dir.Combine("cache"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error OBT60", error);
        Assert.Contains("'logits'", error);
        Assert.False(File.Exists(dir.Combine("out", "model.onnx")));

        var skipped = ToolRunner.Run("export", checkpoint, "-o", dir.Combine("out"), "--no-validate", "--cache-dir", dir.Combine("cache"));
        Assert.Equal(0, skipped.ExitCode);
        Assert.True(File.Exists(dir.Combine("out", "model.onnx")));
    }

    [Fact]
    public void AnUnsupportedTaskIsACodedErrorOnStderr()
    {
        using var dir = Fixtures.NewTempDir();
        var (exit, _, error) = ToolRunner.Run("export", Fixtures.Path("hf-tiny", "bert-fill-mask"), "-o", dir.Combine("out"),
            "--task", "text2text-generation", "--cache-dir", dir.Combine("cache"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error OBT4002", error);
        Assert.Contains("bert-fill-mask", error);
    }
}
