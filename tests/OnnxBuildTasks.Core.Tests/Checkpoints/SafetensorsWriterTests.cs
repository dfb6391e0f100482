using OnnxBuildTasks.Checkpoints;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class SafetensorsWriterTests
{
    [Fact]
    public void RoundTripsEveryDTypeAndMetadata()
    {
        using var dir = Fixtures.NewTempDir();
        var random = new Random(7);
        var specs = Enum.GetValues<TensorDType>().Select(dtype =>
        {
            var bytes = new byte[3 * 5 * dtype.SizeInBytes()];
            random.NextBytes(bytes);
            if (dtype == TensorDType.Bool) for (int i = 0; i < bytes.Length; i++) bytes[i] &= 1;
            return SafetensorsTensorSpec.FromBytes("t." + dtype, dtype, [3, 5], bytes);
        }).Append(SafetensorsTensorSpec.FromBytes("empty", TensorDType.F32, [0, 4], Array.Empty<byte>()))
          .Append(SafetensorsTensorSpec.FromFloats("scalar", [], [2.5f])).ToList();
        string path = dir.Combine("model.safetensors");
        SafetensorsWriter.Write(path, specs, new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Equal(0UL, BitConverter.ToUInt64(File.ReadAllBytes(path), 0) % 8);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        foreach (var spec in specs)
        {
            var t = file.Tensors[spec.Name];
            Assert.Equal(spec.DType, t.DType);
            Assert.Equal(spec.Shape, t.Shape);
            using var expected = new MemoryStream();
            spec.WriteData(expected);
            Assert.True(t.Bytes.SequenceEqual(expected.ToArray()), spec.Name);
            using var copied = new MemoryStream();
            t.CopyTo(copied);
            Assert.Equal(expected.ToArray(), copied.ToArray());
        }
        Assert.Equal([2.5f], file.Tensors["scalar"].ToFloat32());
        Assert.Empty(Directory.GetFiles(dir.FullPath, "*.tmp-*"));
    }

    [Fact]
    public void ReproducesTheFixtureFileByteForByte()
    {
        // The fixture was written in the safetensors library's layout; writing its tensors back must give the same bytes.
        string source = Fixtures.Path("hf-tiny", "bert-fill-mask", "model.safetensors");
        using var dir = Fixtures.NewTempDir();
        using (var file = SafetensorsFile.Open(source))
        {
            var specs = file.Tensors.Values.Select(t => SafetensorsTensorSpec.FromBytes(t.Name, t.DType, t.Shape, t.Bytes.ToArray()));
            SafetensorsWriter.Write(dir.Combine("copy.safetensors"), specs, file.Metadata);
        }
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(dir.Combine("copy.safetensors")));
    }

    [Fact]
    public void WrongByteCountIsRefusedAndLeavesNoFile()
    {
        using var dir = Fixtures.NewTempDir();
        var bad = new SafetensorsTensorSpec("w", TensorDType.F32, [4], s => s.Write(new byte[15]));
        Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(dir.Combine("m.safetensors"), [bad]));
        Assert.Empty(Directory.GetFiles(dir.FullPath));
    }
}
