// eng/bench/ExportBench: `make <dir>` writes a BERT-base-shaped checkpoint (random weights, 110M parameters);
// `export <dir> <out>` exports it for feature-extraction and prints the export's wall time and peak memory.
using System.Diagnostics;
using System.Runtime.InteropServices;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Export;

if (args.Length >= 2 && args[0] == "make") return Make(args[1]);
if (args.Length >= 3 && args[0] == "export") return Export(args[1], args[2], hash: args.Length < 4 || args[3] != "--no-hash");
if (args.Length >= 2 && args[0] == "stream") return StreamOnly(args[1], transposeLinear: args.Length < 3 || args[2] != "--no-transpose");
Console.Error.WriteLine("usage: ExportBench make <dir> | export <checkpoint dir> <output dir>");
return 2;

static int Make(string dir)
{
    const int vocab = 30522, hidden = 768, layers = 12, inner = 3072, positions = 512;
    Directory.CreateDirectory(dir);
    File.WriteAllText(Path.Combine(dir, "config.json"), $$"""
        {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": {{hidden}}, "num_attention_heads": 12,
         "num_hidden_layers": {{layers}}, "intermediate_size": {{inner}}, "vocab_size": {{vocab}}, "max_position_embeddings": {{positions}},
         "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12, "pad_token_id": 0}
        """);
    var specs = new List<SafetensorsTensorSpec>();
    int seed = 0;
    void Add(string name, params long[] shape) => specs.Add(new(name, TensorDType.F32, shape, s => WriteRandom(s, shape.Aggregate(1L, (a, b) => a * b), seed++)));
    void Linear(string name, long outDim, long inDim) { Add(name + ".weight", outDim, inDim); Add(name + ".bias", outDim); }
    void Norm(string name) { Add(name + ".weight", hidden); Add(name + ".bias", hidden); }
    Add("embeddings.word_embeddings.weight", vocab, hidden);
    Add("embeddings.position_embeddings.weight", positions, hidden);
    Add("embeddings.token_type_embeddings.weight", 2, hidden);
    Norm("embeddings.LayerNorm");
    for (int i = 0; i < layers; i++)
    {
        string p = $"encoder.layer.{i}.";
        Linear(p + "attention.self.query", hidden, hidden);
        Linear(p + "attention.self.key", hidden, hidden);
        Linear(p + "attention.self.value", hidden, hidden);
        Linear(p + "attention.output.dense", hidden, hidden);
        Norm(p + "attention.output.LayerNorm");
        Linear(p + "intermediate.dense", inner, hidden);
        Linear(p + "output.dense", hidden, inner);
        Norm(p + "output.LayerNorm");
    }
    Linear("pooler.dense", hidden, hidden);
    SafetensorsWriter.Write(Path.Combine(dir, "model.safetensors"), specs, new Dictionary<string, string> { ["format"] = "pt" });
    long parameters = specs.Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));
    Console.WriteLine($"wrote {dir}: {parameters / 1e6:F1}M parameters, {new FileInfo(Path.Combine(dir, "model.safetensors")).Length / 1e6:F0} MB");
    return 0;
}

static void WriteRandom(Stream s, long count, int seed)
{
    var rng = new Random(seed);
    var buffer = new float[1 << 16];
    for (long done = 0; done < count;)
    {
        int n = (int)Math.Min(buffer.Length, count - done);
        for (int i = 0; i < n; i++) buffer[i] = (float)(rng.NextDouble() - 0.5) * 0.04f;
        s.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
        done += n;
    }
}

static int Export(string checkpoint, string output, bool hash)
{
    var sw = Stopwatch.StartNew();
    var result = CheckpointExporter.Export(new ExportRequest { CheckpointFolder = checkpoint, OutputDirectory = output, CopySideFiles = false, HashSourceFiles = hash });
    sw.Stop();
    Console.WriteLine($"exported {result.ModelPath} ({new FileInfo(result.ModelPath).Length / 1e6:F0} MB) in {sw.Elapsed.TotalSeconds:F2} s (in-process, excluding runtime start)");
    // Plain string work only: the process's wall time is what the script measures, so the report must not add JIT work.
    var memory = new List<string>();
    foreach (string line in File.ReadAllLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal) || line.StartsWith("RssAnon:", StringComparison.Ordinal) || line.StartsWith("RssFile:", StringComparison.Ordinal))
            memory.Add(string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    Console.WriteLine(string.Join("; ", memory));
    return 0;
}

// Streams every weight (Linear weights transposed) to a null stream: the exporter's CPU cost without the file system.
static int StreamOnly(string checkpoint, bool transposeLinear)
{
    using var ckpt = Checkpoint.Open(checkpoint);
    var sw = Stopwatch.StartNew();
    long bytes = 0;
    foreach (var name in ckpt.TensorNames.Order(StringComparer.Ordinal))
    {
        var t = ckpt.GetTensor(name);
        if (t.DType != TensorDType.F32) continue;
        bool transpose = transposeLinear && t.Shape.Count == 2 && !name.Contains("embeddings");
        var w = new StreamedWeight(() => t.Bytes, SourceElement.Float32, t.Shape.ToArray(), OnnxBuildTasks.Onnx.TensorProto.Types.DataType.Float, transpose);
        w.WriteTo(Stream.Null);
        bytes += w.Length;
    }
    Console.WriteLine($"streamed {bytes / 1e6:F0} MB in {sw.Elapsed.TotalSeconds:F2} s");
    return 0;
}
