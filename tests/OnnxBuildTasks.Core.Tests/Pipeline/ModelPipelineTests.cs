using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Pipeline;

public sealed class ModelPipelineTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    private string Project => _dir.Combine("proj");

    private string CacheRoot => _dir.Combine("cache");

    public void Dispose() => _dir.Dispose();

    private ModelPipeline NewPipeline(PipelineComponents? components = null) =>
        new(components ?? PipelineComponents.CreateDefault(), new PipelineContext { CacheDirectory = CacheRoot });

    private ModelRequest Request(string spec, params (string Key, string? Value)[] metadata) =>
        ModelRequest.Parse(spec, Project, metadata.ToDictionary(m => m.Key, m => m.Value));

    private string[] CommittedEntries() =>
        Directory.Exists(Path.Combine(CacheRoot, "models", "v1")) ? Directory.GetDirectories(Path.Combine(CacheRoot, "models", "v1")) : [];

    private string[] LeftoverStaging() =>
        Directory.Exists(Path.Combine(CacheRoot, "tmp")) ? Directory.GetFileSystemEntries(Path.Combine(CacheRoot, "tmp")) : [];

    [Fact]
    public void AnOnnxFileIsCachedAsIsAndTheSecondRunIsAHit()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "sentiment.onnx");
        var first = NewPipeline().Run(Request("models/sentiment.onnx"));
        Assert.False(first.CacheHit);
        Assert.Equal(["model.onnx"], first.Entry.Files);
        Assert.Equal(File.ReadAllBytes(PipelineTestModels.ReferenceOnnx), File.ReadAllBytes(Path.Combine(first.Entry.Directory, "model.onnx")));

        var second = NewPipeline().Run(Request("models/sentiment.onnx", ("Name", "other"), ("Atol", "0.5")));
        Assert.True(second.CacheHit);
        Assert.Equal(first.Entry.Directory, second.Entry.Directory);
        Assert.Single(CommittedEntries());
        Assert.Empty(LeftoverStaging());
    }

    [Fact]
    public void ExternalDataTravelsWithTheModel()
    {
        PipelineTestModels.WriteWithExternalData(Path.Combine(Project, "models"), "big.onnx", "big.onnx.data");
        var result = NewPipeline().Run(Request("models/big.onnx"));
        Assert.Equal(["model.onnx", "big.onnx.data"], result.Entry.Files);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Project, "models", "big.onnx.data")), File.ReadAllBytes(Path.Combine(result.Entry.Directory, "big.onnx.data")));
        using var session = new InferenceSession(Path.Combine(result.Entry.Directory, "model.onnx"));
        Assert.Equal("logits", session.OutputMetadata.Keys.Single());
    }

    [Fact]
    public void ChangingTheFileMakesANewEntry()
    {
        var path = PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var first = NewPipeline().Run(Request("models/m.onnx"));
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.DocString = "edited";
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
        var second = NewPipeline().Run(Request("models/m.onnx"));
        Assert.False(second.CacheHit);
        Assert.NotEqual(first.Entry.Key, second.Entry.Key);
    }

    [Fact]
    public void ACheckpointWithoutAnExporterFailsWithExportNotAvailableAndLeavesNothing()
    {
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(PipelineTestModels.CheckpointFolder)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var components = PipelineComponents.CreateDefault();
        components.Exporter = null; // the default now registers the native exporter
        var e = Assert.Throws<OnnxBuildException>(() => NewPipeline(components).Run(Request("ckpt/")));
        Assert.Equal(ErrorCodes.ExportNotAvailable, e.Code);
        Assert.Contains("OnnxModel 'ckpt/'", e.Message);
        Assert.Empty(CommittedEntries());
    }

    [Fact]
    public void ACheckpointGoesToTheRegisteredExporterWithItsSideFiles()
    {
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(PipelineTestModels.CheckpointFolder)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var exporter = new CopyingExporter();
        var components = PipelineComponents.CreateDefault();
        components.Exporter = exporter;
        var result = NewPipeline(components).Run(Request("ckpt/", ("Task", "text-classification")));
        Assert.Equal(1, exporter.Calls);
        Assert.Equal(SourceKind.Checkpoint, result.Source.Kind);
        Assert.Contains(Path.Combine(folder, "vocab.txt"), result.Source.SideFiles);
        Assert.Contains(Path.Combine(folder, "config.json"), result.Source.SideFiles);
        Assert.DoesNotContain(result.Source.SideFiles, f => f.EndsWith(".safetensors", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(result.Entry.Directory, "model.onnx")));
    }

    [Fact]
    public void AFailingStageLeavesNoEntryAndNoStaging()
    {
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(PipelineTestModels.CheckpointFolder, "config.json"), Path.Combine(folder, "config.json"));
        var components = PipelineComponents.CreateDefault();
        components.Exporter = new CopyingExporter { FailAfterWriting = true };
        var e = Assert.Throws<OnnxBuildException>(() => NewPipeline(components).Run(Request("ckpt/")));
        Assert.Equal("OBT4999", e.Code);
        Assert.Empty(CommittedEntries());
        Assert.Empty(LeftoverStaging());
    }

    [Fact]
    public void AnOpsetDifferentFromTheModelsNeedsAConverter()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var withoutConverter = PipelineComponents.CreateDefault();
        withoutConverter.OpsetConverter = null;
        var e = Assert.Throws<OnnxBuildException>(() => NewPipeline(withoutConverter).Run(Request("models/m.onnx", ("Opset", "17"))));
        Assert.Equal(ErrorCodes.ConversionNotAvailable, e.Code);
        Assert.Contains("opset 13", e.Message);
        Assert.Empty(CommittedEntries());

        // The model is already at opset 13: nothing to convert, no converter needed.
        Assert.False(NewPipeline(withoutConverter).Run(Request("models/m.onnx", ("Opset", "13"))).CacheHit);
    }

    [Fact]
    public void TheDefaultConverterConvertsAndTheResultIsValidatedAgainstTheOriginal()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var result = NewPipeline().Run(Request("models/m.onnx", ("Opset", "17")));
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(result.Entry.Directory, "model.onnx")));
        Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Empty(LeftoverStaging());
    }

    [Fact]
    public void TheRegisteredConverterRunsOnEachModelFileWithTheTargetOpset()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var converter = new RecordingConverter();
        var components = PipelineComponents.CreateDefault();
        components.OpsetConverter = converter;
        var result = NewPipeline(components).Run(Request("models/m.onnx", ("Opset", "14")));
        Assert.Equal([(14, "OnnxModel 'models/m.onnx'")], converter.Calls);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(result.Entry.Directory, "model.onnx")));
        Assert.Equal(14, model.OpsetImport.Single(o => o.Domain == "").Version);
    }

    [Fact]
    public void QuantizeDynamicIsRefusedWithItsCode()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var e = Assert.Throws<OnnxBuildException>(() => NewPipeline().Run(Request("models/m.onnx", ("Quantize", "dynamic"))));
        Assert.Equal(ErrorCodes.QuantizeNotSupported, e.Code);
    }

    [Fact]
    public void Fp16OfAnOnnxFileIsRefusedWithItsCode()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var e = Assert.Throws<OnnxBuildException>(() => NewPipeline().Run(Request("models/m.onnx", ("Precision", "fp16"))));
        Assert.Equal(ErrorCodes.PrecisionNotSupported, e.Code);
    }

    [Fact]
    public void OptimizeRewritesTheGraphAndKeepsItsOutputs()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var plain = NewPipeline().Run(Request("models/m.onnx"));
        var optimized = NewPipeline().Run(Request("models/m.onnx", ("Optimize", "basic")));
        Assert.NotEqual(plain.Entry.Key, optimized.Entry.Key);
        var before = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(plain.Entry.Directory, "model.onnx")));
        var after = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(optimized.Entry.Directory, "model.onnx")));
        Assert.True(after.Graph.Node.Count < before.Graph.Node.Count, $"basic optimization left {after.Graph.Node.Count} of {before.Graph.Node.Count} nodes");

        var inputs = TensorJson.ReadFile(Fixtures.Path("hf-tiny", "distilbert-text-classification", "inputs.json"));
        var expected = TensorJson.ReadFile(Fixtures.Path("hf-tiny", "distilbert-text-classification", "outputs.json"))["logits"].ToDoubles();
        var actual = Run(Path.Combine(optimized.Entry.Directory, "model.onnx"), inputs);
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-4));
    }

    [Fact]
    public void ConcurrentRunsOfOneItemBuildOnce()
    {
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(PipelineTestModels.CheckpointFolder, "config.json"), Path.Combine(folder, "config.json"));
        var exporter = new CopyingExporter { Delay = TimeSpan.FromMilliseconds(300) };
        var components = PipelineComponents.CreateDefault();
        components.Exporter = exporter;
        var results = new PipelineResult[4];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = NewPipeline(components).Run(Request("ckpt/")));
        Assert.Equal(1, exporter.Calls);
        Assert.Single(results, r => !r.CacheHit);
        Assert.Single(results.Select(r => r.Entry.Directory).Distinct());
        Assert.Empty(LeftoverStaging());
    }

    [Fact]
    public void AValidatedItemKeepsItsPassedReportAndAHitDoesNotValidateAgain()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var first = NewPipeline().Run(Request("models/m.onnx", ("Atol", "0.001")));
        Assert.NotNull(first.ValidationReportPath);
        var report = File.ReadAllText(first.ValidationReportPath!);
        Assert.Contains("\"passed\": true", report);
        Assert.Contains("\"atol\": 0.001", report);
        var written = File.GetLastWriteTimeUtc(first.ValidationReportPath!);

        var hit = NewPipeline().Run(Request("models/m.onnx", ("Atol", "0.001")));
        Assert.True(hit.CacheHit);
        Assert.Equal(first.ValidationReportPath, hit.ValidationReportPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(hit.ValidationReportPath!));

        // Another tolerance is another report on the same entry.
        var other = NewPipeline().Run(Request("models/m.onnx", ("Atol", "0.01")));
        Assert.True(other.CacheHit);
        Assert.NotEqual(first.ValidationReportPath, other.ValidationReportPath);
        Assert.True(File.Exists(other.ValidationReportPath));
    }

    [Fact]
    public void AnExportedCheckpointIsValidatedOnItsTokenizedSampleTextAndAnOnnxFileWithoutTokenizerOnGeneratedIds()
    {
        var folder = Path.Combine(Project, "ckpt");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(PipelineTestModels.CheckpointFolder).Where(f => !f.EndsWith(".onnx", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));

        var exported = NewPipeline().Run(Request("ckpt/", ("Task", "text-classification")));

        var report = File.ReadAllText(exported.ValidationReportPath!);
        Assert.Contains("\"inputsSource\": \"tokenized\"", report);
        Assert.Contains("wordpiece (DistilBertTokenizer)", report);
        Assert.Contains("\"passed\": true", report);

        var copied = RunCopy("m.onnx");
        var generated = File.ReadAllText(copied.ValidationReportPath!);
        Assert.Contains("\"inputsSource\": \"generated\"", generated);
        Assert.Contains("no tokenizer folder", generated);
    }

    [Fact]
    public void ValidateFalseKeepsNoReport() =>
        Assert.Null(RunCopy("m.onnx", ("Validate", "false")).ValidationReportPath);

    [Fact]
    public void AConversionThatChangesTheNumbersFailsValidationAgainstThePreConversionModelAndLeavesNoEntry()
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), "m.onnx");
        var components = PipelineComponents.CreateDefault();
        components.OpsetConverter = new RecordingConverter { PerturbBias = 0.5f };
        var e = Assert.Throws<OnnxBuildException>(() => NewPipeline(components).Run(Request("models/m.onnx", ("Opset", "14"))));
        Assert.StartsWith("OBT6", e.Code);
        Assert.Contains("models/m.onnx", e.Message);
        Assert.Contains("logits", e.Message);
        Assert.Empty(CommittedEntries());
        Assert.Empty(LeftoverStaging());

        // The same perturbation within a tolerance that allows it passes.
        Assert.False(NewPipeline(components).Run(Request("models/m.onnx", ("Opset", "14"), ("Atol", "0.6"))).CacheHit);
    }

    private PipelineResult RunCopy(string name, params (string Key, string? Value)[] metadata)
    {
        PipelineTestModels.CopyReference(Path.Combine(Project, "models"), name);
        return NewPipeline().Run(Request("models/" + name, metadata));
    }

    private static double[] Run(string model, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        using var session = new InferenceSession(model);
        var values = inputs.ToDictionary(p => p.Key, p => p.Value.ToOrtValue());
        try
        {
            // Held in a variable: ORT's Run takes the bare handle, so an inline `new RunOptions()` can be
            // finalized by the GC while the native run still reads it (a use-after-free that crashed the host).
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, values.Keys.ToList(), values.Values.ToList(), ["logits"]);
            return HostTensor.FromOrtValue(outputs[0]).ToDoubles();
        }
        finally
        {
            foreach (var v in values.Values) v.Dispose();
        }
    }

    /// <summary>Stands in for the real exporter: writes the fixture's reference ONNX as the "export".</summary>
    private sealed class CopyingExporter : IModelExporter
    {
        private int _calls;

        public int Calls => _calls;

        public TimeSpan Delay { get; init; }

        public bool FailAfterWriting { get; init; }

        public ExportResult Export(ResolvedSource source, ModelRequest request, string outputDirectory, PipelineContext context)
        {
            Interlocked.Increment(ref _calls);
            Thread.Sleep(Delay);
            File.Copy(PipelineTestModels.ReferenceOnnx, Path.Combine(outputDirectory, "model.onnx"));
            if (FailAfterWriting) throw new OnnxBuildException("OBT4999", $"{request.DisplayName}: export failed on purpose");
            return new ExportResult { ModelFiles = ["model.onnx"], Opset = 13 };
        }
    }

    /// <summary>
    /// Records calls and rewrites the opset import (a real converter does more; the pipeline only
    /// routes). With <see cref="PerturbBias"/> it also shifts the classifier bias, as a broken converter would.
    /// </summary>
    private sealed class RecordingConverter : IOpsetConverter
    {
        public List<(int Opset, string Item)> Calls { get; } = [];

        public float PerturbBias { get; init; }

        public void Convert(string inputPath, string outputPath, int targetOpset, string itemName)
        {
            Calls.Add((targetOpset, itemName));
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(inputPath));
            model.OpsetImport.Single(o => o.Domain == "").Version = targetOpset;
            if (PerturbBias != 0)
            {
                var bias = model.Graph.Initializer.Single(t => t.Name == "model.classifier.bias");
                var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bias.RawData.ToByteArray()).ToArray();
                for (var i = 0; i < values.Length; i++) values[i] += PerturbBias;
                bias.RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
            File.WriteAllBytes(outputPath, Google.Protobuf.MessageExtensions.ToByteArray(model));
        }
    }
}
