#:project ../../src/OnnxBuildTasks.Core/OnnxBuildTasks.Core.csproj
// Saves models whose weights are streamed from deferred payloads: 1.5 GB inline (under the protobuf
// limit) and 2.5 GB (over it: external data chosen automatically). Reports time and peak memory, which
// must stay far below the model size because no serialized copy of the weights is ever built.
using System.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

var folder = Path.Combine(Path.GetTempPath(), "obt-bench-" + Environment.ProcessId);
Directory.CreateDirectory(folder);
try
{
    foreach (var (label, gigabytes) in new[] { ("inline 1.5 GB", 1.5), ("auto-external 2.5 GB", 2.5) })
    {
        const long TensorBytes = 256L << 20;
        int count = (int)(gigabytes * (1L << 30) / TensorBytes);
        var graph = new GraphProto { Name = "big" };
        var payloads = new Dictionary<string, ITensorPayload>();
        for (int i = 0; i < count; i++)
        {
            var t = new TensorProto { Name = $"w{i}", DataType = (int)TensorProto.Types.DataType.Float };
            t.Dims.Add(TensorBytes / 4);
            graph.Initializer.Add(t);
            payloads[t.Name] = new GeneratedPayload(TensorBytes, (byte)i);
            graph.Output.Add(new ValueInfoProto { Name = t.Name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = TensorBytes / 4 } } } } } });
        }
        var model = new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
        var path = Path.Combine(folder, label.Split(' ')[0] + ".onnx");
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var watch = Stopwatch.StartNew();
        OnnxModelFile.Save(model, path, new OnnxSaveOptions { Payloads = payloads });
        watch.Stop();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        long onDisk = new FileInfo(path).Length + (File.Exists(path + "_data") ? new FileInfo(path + "_data").Length : 0);
        bool external = File.Exists(path + "_data");
        if (external)
        {
            var loaded = OnnxModelFile.Load(path);
            var findings = ModelChecker.Check(loaded, folder);
            if (findings.Count > 0) throw new Exception(string.Join("; ", findings));
        }
        Console.WriteLine($"{label}: {onDisk / (1 << 20)} MiB written in {watch.Elapsed.TotalSeconds:0.0} s " +
            $"({onDisk / watch.Elapsed.TotalSeconds / (1 << 20):0} MiB/s), external data: {external}, peak working set {peak / (1 << 20)} MiB (before {before / (1 << 20)} MiB)");
        File.Delete(path);
        if (external) File.Delete(path + "_data");
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

/// <summary>Deterministic bytes generated on the fly: nothing of the tensor is held in memory.</summary>
sealed class GeneratedPayload(long length, byte seed) : ITensorPayload
{
    public long Length => length;

    public void WriteTo(Stream destination)
    {
        var chunk = new byte[1 << 20];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)(i * 31 + seed);
        for (long left = length; left > 0; left -= chunk.Length)
            destination.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
    }
}
