using Google.Protobuf;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Onnx;

/// <summary>Durability as an explicit save choice, and the kernel copy of an unchanged external data layout.</summary>
public sealed class ModelFileWriterTests : IDisposable
{
    private readonly TempDir _dir = Fixtures.NewTempDir();

    public void Dispose() => _dir.Dispose();

    private static ModelProto ThreeWeights()
    {
        var g = new GraphProto { Name = "g" };
        for (int i = 0; i < 3; i++)
        {
            var bytes = new byte[4096 + 4 * i];
            for (int j = 0; j < bytes.Length; j++) bytes[j] = (byte)(j * 7 + i);
            var t = new TensorProto { Name = "w" + i, DataType = (int)DataType.Uint8, RawData = ByteString.CopyFrom(bytes) };
            t.Dims.Add(bytes.Length);
            g.Initializer.Add(t);
        }
        var m = new ModelProto { IrVersion = 8, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return m;
    }

    private static List<string> Flushed(Action save)
    {
        var seen = new List<string>();
        DiskFlush.Observer = seen.Add;
        try { save(); }
        finally { DiskFlush.Observer = null; }
        return seen;
    }

    [Fact]
    public void A_plain_save_flushes_nothing_and_a_durable_one_flushes_both_files_before_renaming_then_the_folder()
    {
        var plain = _dir.Combine("plain", "m.onnx");
        Assert.Empty(Flushed(() => OnnxModelFile.Save(ThreeWeights(), plain, new OnnxSaveOptions { ForceExternalData = true })));
        Assert.True(File.Exists(plain + "_data"));

        var durable = _dir.Combine("durable", "m.onnx");
        var existedAtFlush = new List<(string Path, bool FinalExists)>();
        var seen = Flushed(() =>
        {
            DiskFlush.Observer += p => existedAtFlush.Add((p, File.Exists(durable)));
            OnnxModelFile.Save(ThreeWeights(), durable, new OnnxSaveOptions { ForceExternalData = true, Durable = true });
        });
        Assert.Equal(3, seen.Count);
        Assert.StartsWith(durable + "_data.tmp-", seen[0]);
        Assert.StartsWith(durable + ".tmp-", seen[1]);
        Assert.Equal(Path.GetDirectoryName(durable) + Path.DirectorySeparatorChar, seen[2]);
        Assert.False(existedAtFlush[1].FinalExists); // model flushed before its rename
        Assert.True(existedAtFlush[2].FinalExists); // folder flushed after it
        Assert.Equal(File.ReadAllBytes(plain + "_data"), File.ReadAllBytes(durable + "_data"));
    }

    [Fact]
    public void Resaving_an_unchanged_layout_copies_the_data_file_and_drops_bytes_no_tensor_uses()
    {
        var first = _dir.Combine("a", "m.onnx");
        OnnxModelFile.Save(ThreeWeights(), first, new OnnxSaveOptions { ForceExternalData = true });
        using (var s = new FileStream(first + "_data", FileMode.Append)) s.Write(new byte[100]); // trailing bytes nobody references

        var second = _dir.Combine("b", "m.onnx");
        OnnxModelFile.Save(OnnxModelFile.Load(first), second);
        var expected = File.ReadAllBytes(first + "_data")[..^100];
        Assert.Equal(expected, File.ReadAllBytes(second + "_data"));
        AssertTensorsEqual(ThreeWeights(), OnnxModelFile.Load(second), _dir.Combine("b"));
    }

    [Fact]
    public void A_changed_layout_is_streamed_tensor_by_tensor_and_stays_correct()
    {
        var first = _dir.Combine("a", "m.onnx");
        OnnxModelFile.Save(ThreeWeights(), first, new OnnxSaveOptions { ForceExternalData = true });
        var loaded = OnnxModelFile.Load(first);
        loaded.Graph.Initializer.RemoveAt(0); // every later tensor moves to a new offset
        var second = _dir.Combine("b", "m.onnx");
        OnnxModelFile.Save(loaded, second);

        var reference = ThreeWeights();
        reference.Graph.Initializer.RemoveAt(0);
        AssertTensorsEqual(reference, OnnxModelFile.Load(second), _dir.Combine("b"));
        Assert.True(new FileInfo(second + "_data").Length < new FileInfo(first + "_data").Length);
    }

    private static void AssertTensorsEqual(ModelProto expected, ModelProto actual, string folder)
    {
        Assert.Equal(expected.Graph.Initializer.Count, actual.Graph.Initializer.Count);
        foreach (var (e, a) in expected.Graph.Initializer.Zip(actual.Graph.Initializer))
        {
            Assert.Equal(e.Name, a.Name);
            Assert.True(ExternalData.IsExternal(a), a.Name);
            Assert.Equal(e.RawData.ToByteArray(), OnnxModelFile.ReadTensorBytes(a, folder).ToArray());
        }
    }
}
