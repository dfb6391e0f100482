using System.IO.Compression;
using System.Text;

namespace OnnxBuildTasks.Tests.Checkpoints;

/// <summary>Builds small hand-made checkpoint files (pickles, torch.save-style zips, safetensors bytes) for tests.</summary>
internal static class TestCheckpoints
{
    public const string MinimalConfig = """{"model_type":"custom","hidden_size":4}""";

    /// <summary>Pickle opcodes, spelled out so that test pickles read like pickletools output.</summary>
    internal sealed class Pickle
    {
        private readonly MemoryStream _bytes = new();

        public Pickle Op(char op) { _bytes.WriteByte((byte)op); return this; }
        public Pickle Raw(params byte[] bytes) { _bytes.Write(bytes); return this; }
        public Pickle Proto(int n = 2) => Raw(0x80, (byte)n);
        public Pickle Mark() => Op('(');
        public Pickle Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
        public Pickle Str(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            Op('X').Raw(BitConverter.GetBytes(b.Length));
            return Raw(b);
        }
        public Pickle Int(int v) => v is >= 0 and < 256 ? Op('K').Raw((byte)v) : Op('J').Raw(BitConverter.GetBytes(v));
        public Pickle Tuple(params Action<Pickle>[] items)
        {
            Mark();
            foreach (var item in items) item(this);
            return Op('t');
        }
        public Pickle Ints(params int[] values) => Tuple(values.Select(v => (Action<Pickle>)(p => p.Int(v))).ToArray());
        public Pickle False() => Raw(0x89);
        public Pickle EmptyDict() => Op('}');
        public Pickle OrderedDict() => Global("collections", "OrderedDict").Op(')').Op('R');
        public Pickle Reduce() => Op('R');
        public Pickle Stop() => Op('.');

        /// <summary>('storage', torch.&lt;type&gt;, key, 'cpu', numel) BINPERSID.</summary>
        public Pickle Storage(string type, string key, int numel) =>
            Tuple(p => p.Str("storage"), p => p.Global("torch", type), p => p.Str(key), p => p.Str("cpu"), p => p.Int(numel)).Op('Q');

        /// <summary>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).</summary>
        public Pickle Tensor(string type, string key, int numel, int offset, int[] size, int[] stride) =>
            Global("torch._utils", "_rebuild_tensor_v2")
                .Tuple(p => p.Storage(type, key, numel), p => p.Int(offset), p => p.Ints(size), p => p.Ints(stride), p => p.False(), p => p.OrderedDict())
                .Reduce();

        public byte[] ToArray() => _bytes.ToArray();
    }

    /// <summary>A state dict pickle {name: tensor} (protocol 2, as torch.save writes).</summary>
    public static byte[] StateDict(params (string Name, Action<Pickle> Tensor)[] tensors)
    {
        var p = new Pickle().Proto().OrderedDict().Mark();
        foreach (var (name, tensor) in tensors)
        {
            p.Str(name);
            tensor(p);
        }
        return p.Op('u').Stop().ToArray();
    }

    /// <summary>Writes a torch.save-style zip: archive/data.pkl, archive/byteorder (optional), archive/data/&lt;key&gt;.</summary>
    public static void WriteArchive(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string? byteorder = "little",
        bool includePickle = true, CompressionLevel level = CompressionLevel.NoCompression)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            var entry = zip.CreateEntry(name, level);
            using var s = entry.Open();
            s.Write(bytes);
        }
        if (includePickle) Add("archive/data.pkl", pickle);
        if (byteorder is not null) Add("archive/byteorder", Encoding.ASCII.GetBytes(byteorder));
        foreach (var (key, bytes) in storages) Add("archive/data/" + key, bytes);
    }

    /// <summary>
    /// A stored-only zip in zip64 form (every size and offset in zip64 extra fields, zip64 end records), as writers
    /// produce for archives over 4 GB. CRCs are left zero: the reader does not check them.
    /// </summary>
    public static byte[] Zip64(IReadOnlyList<(string Name, byte[] Data)> entries)
    {
        var zip = new MemoryStream();
        var w = new BinaryWriter(zip);
        var offsets = new List<long>();
        foreach (var (name, data) in entries)
        {
            offsets.Add(zip.Position);
            var n = Encoding.UTF8.GetBytes(name);
            w.Write(0x04034b50u); w.Write((ushort)45); w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(0u);
            w.Write(0xFFFFFFFFu); w.Write(0xFFFFFFFFu); w.Write((ushort)n.Length); w.Write((ushort)20);
            w.Write(n); w.Write((ushort)1); w.Write((ushort)16); w.Write((long)data.Length); w.Write((long)data.Length);
            w.Write(data);
        }
        long cdStart = zip.Position;
        for (int i = 0; i < entries.Count; i++)
        {
            var n = Encoding.UTF8.GetBytes(entries[i].Name);
            w.Write(0x02014b50u); w.Write((ushort)45); w.Write((ushort)45); w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(0u);
            w.Write(0xFFFFFFFFu); w.Write(0xFFFFFFFFu); w.Write((ushort)n.Length); w.Write((ushort)28); w.Write((ushort)0);
            w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(0xFFFFFFFFu);
            w.Write(n); w.Write((ushort)1); w.Write((ushort)24); w.Write((long)entries[i].Data.Length); w.Write((long)entries[i].Data.Length); w.Write(offsets[i]);
        }
        long cdSize = zip.Position - cdStart;
        long zip64End = zip.Position;
        w.Write(0x06064b50u); w.Write(44L); w.Write((ushort)45); w.Write((ushort)45); w.Write(0u); w.Write(0u);
        w.Write((long)entries.Count); w.Write((long)entries.Count); w.Write(cdSize); w.Write(cdStart);
        w.Write(0x07064b50u); w.Write(0u); w.Write(zip64End); w.Write(1u);
        w.Write(0x06054b50u); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)0xFFFF); w.Write((ushort)0xFFFF);
        w.Write(0xFFFFFFFFu); w.Write(0xFFFFFFFFu); w.Write((ushort)0);
        return zip.ToArray();
    }

    /// <summary>Raw safetensors bytes from a header JSON and a data section.</summary>
    public static byte[] Safetensors(string header, byte[] data, ulong? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + h.Length + data.Length];
        BitConverter.GetBytes(declaredLength ?? (ulong)h.Length).CopyTo(result, 0);
        h.CopyTo(result, 8);
        data.CopyTo(result, 8 + h.Length);
        return result;
    }

    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>A checkpoint folder with config.json and one weight file.</summary>
    public static string Folder(TempDir dir, string weightFile, byte[] bytes, string config = MinimalConfig)
    {
        File.WriteAllText(dir.Combine("config.json"), config);
        File.WriteAllBytes(dir.Combine(weightFile), bytes);
        return dir.FullPath;
    }
}
