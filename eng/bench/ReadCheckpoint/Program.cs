using System.Diagnostics;
using System.Runtime.InteropServices;
using OnnxBuildTasks.Checkpoints;

// read-checkpoint benchmark:
//   write <folder>  writes a BERT-base-shaped (110M parameters, ~440 MB) random float32 model.safetensors + config.json
//   read <folder>   opens the checkpoint, touches every byte of every tensor (Bytes spans), prints time and memory
//   read-release <folder>  the same, calling ReleasePages after each tensor (how an exporter walks a big model)
//   stream <folder> streams every tensor with CopyTo into a null stream (the exporter's path for big tensors)
if (args.Length != 2 || args[0] is not ("write" or "read" or "read-release" or "stream"))
{
    Console.Error.WriteLine("usage: ReadCheckpoint write|read|read-release|stream <folder>");
    return 2;
}
string folder = args[1];
if (args[0] == "write") Write(folder);
else Read(folder, args[0]);
return 0;

static void Write(string folder)
{
    Directory.CreateDirectory(folder);
    const int hidden = 768, layers = 12, intermediate = 3072, vocab = 30522, positions = 512;
    var shapes = new List<(string Name, long[] Shape)>
    {
        ("bert.embeddings.word_embeddings.weight", [vocab, hidden]),
        ("bert.embeddings.position_embeddings.weight", [positions, hidden]),
        ("bert.embeddings.token_type_embeddings.weight", [2, hidden]),
        ("bert.embeddings.LayerNorm.weight", [hidden]),
        ("bert.embeddings.LayerNorm.bias", [hidden]),
        ("bert.pooler.dense.weight", [hidden, hidden]),
        ("bert.pooler.dense.bias", [hidden]),
    };
    for (int l = 0; l < layers; l++)
    {
        string p = $"bert.encoder.layer.{l}.";
        foreach (string m in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
        {
            shapes.Add((p + m + ".weight", [hidden, hidden]));
            shapes.Add((p + m + ".bias", [hidden]));
        }
        shapes.Add((p + "attention.output.LayerNorm.weight", [hidden]));
        shapes.Add((p + "attention.output.LayerNorm.bias", [hidden]));
        shapes.Add((p + "intermediate.dense.weight", [intermediate, hidden]));
        shapes.Add((p + "intermediate.dense.bias", [intermediate]));
        shapes.Add((p + "output.dense.weight", [hidden, intermediate]));
        shapes.Add((p + "output.dense.bias", [hidden]));
        shapes.Add((p + "output.LayerNorm.weight", [hidden]));
        shapes.Add((p + "output.LayerNorm.bias", [hidden]));
    }
    var random = new Random(42);
    var specs = shapes.Select(s => new SafetensorsTensorSpec(s.Name, TensorDType.F32, s.Shape, stream =>
    {
        long remaining = s.Shape.Aggregate(1L, (a, b) => a * b) * 4;
        var buffer = new byte[1 << 20];
        while (remaining > 0)
        {
            int n = (int)Math.Min(buffer.Length, remaining);
            random.NextBytes(buffer.AsSpan(0, n));
            stream.Write(buffer, 0, n);
            remaining -= n;
        }
    }));
    SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), specs, new Dictionary<string, string> { ["format"] = "pt" });
    File.WriteAllText(Path.Combine(folder, "config.json"),
        $$"""{"architectures":["BertModel"],"model_type":"bert","hidden_size":{{hidden}},"num_attention_heads":12,"num_hidden_layers":{{layers}},"intermediate_size":{{intermediate}},"vocab_size":{{vocab}},"max_position_embeddings":{{positions}},"type_vocab_size":2}""");
    Console.WriteLine($"wrote {new FileInfo(Path.Combine(folder, "model.safetensors")).Length} bytes");
}

static void Read(string folder, string mode)
{
    var clock = Stopwatch.StartNew();
    ulong checksum = 0;
    long bytes = 0;
    double openSeconds;
    using (var checkpoint = Checkpoint.Open(folder))
    {
        openSeconds = clock.Elapsed.TotalSeconds;
        foreach (string name in checkpoint.TensorNames)
        {
            var tensor = checkpoint.GetTensor(name);
            if (mode == "stream")
            {
                var sink = new ChecksumStream();
                tensor.CopyTo(sink);
                checksum ^= sink.Checksum;
                bytes += sink.Length;
                continue;
            }
            var data = tensor.Bytes;
            checksum ^= Touch(data);
            bytes += data.Length;
            if (mode == "read-release") tensor.ReleasePages();
        }
    }
    double seconds = clock.Elapsed.TotalSeconds;
    var status = File.ReadAllLines("/proc/self/status").Where(l => l.StartsWith("VmHWM") || l.StartsWith("RssAnon") || l.StartsWith("RssFile"))
        .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    // The same again in this process: a fresh mapping, but the code is already compiled (steady state, no JIT).
    var again = Stopwatch.StartNew();
    using (var checkpoint = Checkpoint.Open(folder))
    {
        ulong againChecksum = 0;
        foreach (string name in checkpoint.TensorNames) againChecksum ^= Touch(checkpoint.GetTensor(name).Bytes);
        if (againChecksum != checksum) throw new InvalidOperationException("second pass read different bytes");
    }
    double steady = again.Elapsed.TotalSeconds;
    Console.WriteLine($"read_seconds={seconds:0.000} open_seconds={openSeconds:0.000} steady_seconds={steady:0.000} bytes={bytes} checksum={checksum:x16} {string.Join(" ", status)}");
}

// XOR of every 8-byte word (vectorised) and of the trailing bytes: reads every byte once.
static ulong Touch(ReadOnlySpan<byte> data)
{
    var vectors = MemoryMarshal.Cast<byte, System.Numerics.Vector<ulong>>(data);
    var acc = System.Numerics.Vector<ulong>.Zero;
    foreach (var v in vectors) acc ^= v;
    ulong result = 0;
    for (int i = 0; i < System.Numerics.Vector<ulong>.Count; i++) result ^= acc[i];
    foreach (byte b in data[(vectors.Length * System.Numerics.Vector<byte>.Count)..]) result ^= b;
    return result;
}

// A write-only stream that XORs what it is given (8-byte words, then bytes) and counts it.
sealed class ChecksumStream : Stream
{
    public ulong Checksum { get; private set; }
    private long _length;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var vectors = MemoryMarshal.Cast<byte, System.Numerics.Vector<ulong>>(buffer);
        var acc = System.Numerics.Vector<ulong>.Zero;
        foreach (var v in vectors) acc ^= v;
        for (int i = 0; i < System.Numerics.Vector<ulong>.Count; i++) Checksum ^= acc[i];
        foreach (byte b in buffer[(vectors.Length * System.Numerics.Vector<byte>.Count)..]) Checksum ^= b;
        _length += buffer.Length;
    }
}
