using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Tests.Pipeline;

public sealed class ItemOutputTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    private PipelineResult Result(string name, IReadOnlyList<string> sideFiles)
    {
        var cache = new ModelCache(_dir.Combine("cache"));
        var key = new string('e', 64);
        var entry = cache.TryGet(key);
        if (entry is null)
        {
            var staging = cache.CreateStaging(key);
            PipelineTestModels.WriteWithExternalData(staging, "model.onnx", "model.onnx.data");
            entry = cache.Commit(key, staging, ["model.onnx", "model.onnx.data"], "test", []);
        }
        return new PipelineResult
        {
            Request = ModelRequest.Parse("ckpt/", _dir.FullPath, new Dictionary<string, string?> { ["Name"] = name }),
            Source = new ResolvedSource { Kind = SourceKind.Checkpoint, LocalPath = _dir.FullPath, Fingerprint = "f", Description = "d", SideFiles = sideFiles },
            Entry = entry,
        };
    }

    [Fact]
    public void ModelDataAndSideFilesLandUnderTheNameAndTheListNamesThemLast()
    {
        var config = _dir.Combine("src", "config.json");
        var vocab = _dir.Combine("src", "vocab.txt");
        Directory.CreateDirectory(_dir.Combine("src"));
        File.WriteAllText(config, "{}");
        File.WriteAllText(vocab, "[PAD]\n");
        var outRoot = _dir.Combine("obj", "out");
        var list = _dir.Combine("obj", "k.files");

        var files = ItemOutput.Write(Result("bert", [config, vocab]), outRoot, list);

        Assert.Equal(["model.onnx", "model.onnx.data", "config.json", "vocab.txt"], files);
        Assert.Equal(["bert/model.onnx", "bert/model.onnx.data", "bert/config.json", "bert/vocab.txt"], File.ReadAllLines(list));
        Assert.Equal("[PAD]\n", File.ReadAllText(Path.Combine(outRoot, "bert", "vocab.txt")));
        Assert.DoesNotContain(Directory.GetDirectories(_dir.Combine("obj", "out")), d => d.Contains(".tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public void ARewriteReplacesTheFolderSoNoStaleFileSurvives()
    {
        var outRoot = _dir.Combine("obj", "out");
        var list = _dir.Combine("obj", "k.files");
        var side = _dir.Combine("tokenizer.json");
        File.WriteAllText(side, "{}");
        ItemOutput.Write(Result("m", [side]), outRoot, list);
        Assert.True(File.Exists(Path.Combine(outRoot, "m", "tokenizer.json")));

        ItemOutput.Write(Result("m", []), outRoot, list);
        Assert.False(File.Exists(Path.Combine(outRoot, "m", "tokenizer.json")));
        Assert.Equal(["m/model.onnx", "m/model.onnx.data"], File.ReadAllLines(list));
    }
}
