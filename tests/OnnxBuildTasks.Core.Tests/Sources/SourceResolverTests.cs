using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;
using OnnxBuildTasks.Tests.Hub;

namespace OnnxBuildTasks.Tests.Sources;

public class SourceResolverTests
{
    private static ModelRequest Request(string project, string spec, params (string Key, string? Value)[] metadata) =>
        ModelRequest.Parse(spec, project, metadata.ToDictionary(m => m.Key, m => m.Value));

    private static (ModelPipeline Pipeline, PipelineContext Context) Pipeline(HubTestEnv env, bool locked = false)
    {
        var context = new PipelineContext
        {
            CacheDirectory = env.Scratch("models-cache"),
            LockFilePath = env.Scratch("proj", LockFile.DefaultFileName),
            LockedMode = locked,
        };
        var components = PipelineComponents.CreateDefault();
        var i = components.SourceResolvers.FindIndex(r => r is HubSourceResolver);
        components.SourceResolvers[i] = new HubSourceResolver(_ => env.Settings());
        return (new ModelPipeline(components, context), context);
    }

    [Fact]
    public async Task HubFileIsTakenAsIsWithTokenizerFilesAndLockedSecondBuildMakesNoRequest()
    {
        await using var env = await HubTestEnv.StartAsync();
        Directory.CreateDirectory(env.Scratch("proj"));
        var request = Request(env.Scratch("proj"), "org/tiny-bert", ("File", "onnx/model.onnx"), ("Revision", "v1.0"));

        var first = Pipeline(env).Pipeline.Run(request);

        Assert.Equal(SourceKind.OnnxFile, first.Source.Kind);
        Assert.Equal(HubTestEnv.Bert("reference.onnx"), File.ReadAllBytes(Path.Combine(first.Entry.Directory, "model.onnx")));
        Assert.Equal(["config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"], first.Source.SideFiles.Select(Path.GetFileName).Order());
        var entry = LockFile.Read(env.Scratch("proj", LockFile.DefaultFileName)).Models["org/tiny-bert#onnx/model.onnx"];
        Assert.Equal(env.CommitOf("org/tiny-bert", "v1"), entry.Commit);
        Assert.Contains(entry.Files, f => f.Path == "vocab.txt");

        env.Hub.ResetCounters();
        var second = Pipeline(env, locked: true).Pipeline.Run(request);
        Assert.True(second.CacheHit);
        Assert.Equal(0, env.Hub.RequestCount);
    }

    [Fact]
    public async Task HubCheckpointResolvesToTheSnapshotFolder()
    {
        await using var env = await HubTestEnv.StartAsync();
        var (_, context) = Pipeline(env);
        var source = new HubSourceResolver(_ => env.Settings()).Resolve(Request(env.Scratch("proj"), "org/tiny-bert"), context);

        Assert.Equal(SourceKind.Checkpoint, source.Kind);
        Assert.True(File.Exists(Path.Combine(source.LocalPath, "config.json")));
        Assert.True(File.Exists(Path.Combine(source.LocalPath, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(source.LocalPath, "pytorch_model.bin")));
        Assert.StartsWith($"hub:org/tiny-bert@{env.CommitOf("org/tiny-bert", "v2")}", source.Description);
    }

    [Fact]
    public async Task HubErrorsNameTheItem()
    {
        await using var env = await HubTestEnv.StartAsync();
        var (_, context) = Pipeline(env);
        var e = Assert.Throws<OnnxBuildException>(() =>
            new HubSourceResolver(_ => env.Settings()).Resolve(Request(env.Scratch("proj"), "org/gated", ("File", "model.safetensors")), context));

        Assert.Equal(ErrorCodes.HubGatedRepo, e.Code);
        Assert.StartsWith("OnnxModel 'org/gated': ", e.Message);
    }

    [Theory]
    [InlineData("org/model", true)]
    [InlineData("bert-base-uncased", true)]
    [InlineData("models/a.onnx", false)]
    [InlineData("nuget:A.B/1.0.0", false)]
    [InlineData("existing", false)]
    public void HubResolverTakesRepoIdsOnly(string spec, bool expected)
    {
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("existing"));
        Assert.Equal(expected, new HubSourceResolver().CanResolve(Request(dir.FullPath, spec)));
        Assert.Equal(spec.StartsWith("nuget:"), new NuGetSourceResolver().CanResolve(Request(dir.FullPath, spec)));
    }

    [Fact]
    public void NuGetOnnxFileGoesThroughThePipeline()
    {
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("feed"));
        Directory.CreateDirectory(dir.Combine("proj"));
        File.WriteAllBytes(dir.Combine("feed", "some.models.1.0.0.nupkg"), LocalNuGetFeed.Nupkg("Some.Models", "1.0.0",
            new Dictionary<string, byte[]> { ["models/model.onnx"] = HubTestEnv.Bert("reference.onnx") }));
        File.WriteAllText(dir.Combine("proj", "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{dir.Combine("gpf")}" /></config>
              <packageSources><clear /><add key="feed" value="{dir.Combine("feed")}" /></packageSources>
            </configuration>
            """);
        var context = new PipelineContext { CacheDirectory = dir.Combine("cache"), LockFilePath = dir.Combine("proj", LockFile.DefaultFileName) };

        var result = new ModelPipeline(PipelineComponents.CreateDefault(), context)
            .Run(Request(dir.Combine("proj"), "nuget:Some.Models/1.0.0", ("File", "models/model.onnx")));

        Assert.Equal(HubTestEnv.Bert("reference.onnx"), File.ReadAllBytes(Path.Combine(result.Entry.Directory, "model.onnx")));
        Assert.Equal("1.0.0", LockFile.Read(context.LockFilePath).Models["nuget:Some.Models/1.0.0#models/model.onnx"].Version);
    }

    [Fact]
    public void NuGetCheckpointFolderResolvesToACheckpointAndLocksEveryFile()
    {
        using var dir = Fixtures.NewTempDir();
        Directory.CreateDirectory(dir.Combine("feed"));
        Directory.CreateDirectory(dir.Combine("proj"));
        File.WriteAllBytes(dir.Combine("feed", "some.checkpoint.2.0.0.nupkg"), LocalNuGetFeed.Nupkg("Some.Checkpoint", "2.0.0", new Dictionary<string, byte[]>
        {
            ["ckpt/config.json"] = HubTestEnv.Bert("config.json"),
            ["ckpt/model.safetensors"] = HubTestEnv.Bert("model.safetensors"),
            ["ckpt/vocab.txt"] = HubTestEnv.Bert("vocab.txt"),
        }));
        File.WriteAllText(dir.Combine("proj", "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{dir.Combine("gpf")}" /></config>
              <packageSources><clear /><add key="feed" value="{dir.Combine("feed")}" /></packageSources>
            </configuration>
            """);
        var context = new PipelineContext { CacheDirectory = dir.Combine("cache"), LockFilePath = dir.Combine("proj", LockFile.DefaultFileName) };

        var source = new NuGetSourceResolver().Resolve(Request(dir.Combine("proj"), "nuget:Some.Checkpoint/2.0.0", ("File", "ckpt")), context);

        Assert.Equal(SourceKind.Checkpoint, source.Kind);
        Assert.Equal(dir.Combine("gpf", "some.checkpoint", "2.0.0", "ckpt"), source.LocalPath);
        Assert.Equal(["config.json", "vocab.txt"], source.SideFiles.Select(Path.GetFileName).Order());
        var entry = LockFile.Read(context.LockFilePath).Models["nuget:Some.Checkpoint/2.0.0#ckpt"];
        Assert.Equal(["ckpt/config.json", "ckpt/model.safetensors", "ckpt/vocab.txt"], entry.Files.Select(f => f.Path));
        // The exporter's metadata gets each file's hash (as locked) and the package it came from.
        Assert.Equal(entry.Files.ToDictionary(f => f.Path["ckpt/".Length..], f => f.Sha256), source.Files);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(HubTestEnv.Bert("model.safetensors"))), source.Files["model.safetensors"]);
        Assert.Equal(("nuget:Some.Checkpoint", "2.0.0"), (source.Repo, source.Revision));
    }
}
