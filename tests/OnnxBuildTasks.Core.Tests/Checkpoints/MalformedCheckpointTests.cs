using System.Text;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using static OnnxBuildTasks.Tests.Checkpoints.TestCheckpoints;

namespace OnnxBuildTasks.Tests.Checkpoints;

/// <summary>Malformed and hostile checkpoints: each must fail with its coded error, quickly and without unbounded allocation.</summary>
public class MalformedCheckpointTests
{
    private const string OneTensor = """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
    private static readonly byte[] EightBytes = Floats(1, 2);

    private static string St(TempDir d, byte[] bytes) => Folder(d, "model.safetensors", bytes);

    private static string Bin(TempDir d, byte[] pickle, Dictionary<string, byte[]>? storages = null, string? byteorder = "little", bool includePickle = true)
    {
        File.WriteAllText(d.Combine("config.json"), MinimalConfig);
        WriteArchive(d.Combine("pytorch_model.bin"), pickle, storages ?? new() { ["0"] = Floats(1, 2, 3, 4, 5, 6) }, byteorder, includePickle);
        return d.FullPath;
    }

    private static byte[] OneFloatTensor(int offset, int[] size, int[] stride, int numel = 6, string type = "FloatStorage") =>
        StateDict(("w", p => p.Tensor(type, "0", numel, offset, size, stride)));

    private static string Sharded(TempDir d, string index, params (string File, string Header)[] shards)
    {
        File.WriteAllText(d.Combine("config.json"), MinimalConfig);
        File.WriteAllText(d.Combine("model.safetensors.index.json"), index);
        foreach (var (file, header) in shards) File.WriteAllBytes(d.Combine(file), Safetensors(header, EightBytes));
        return d.FullPath;
    }

    // case name -> (build the folder, expected code)
    private static readonly Dictionary<string, (Func<TempDir, string> Build, string Code)> Cases = new()
    {
        // safetensors
        ["st: file shorter than the length prefix"] = (d => St(d, [1, 2, 3]), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: header length 2^63"] = (d => St(d, Safetensors(OneTensor, EightBytes, 1UL << 63)), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: header length past the end (truncated header)"] = (d => St(d, Safetensors(OneTensor, EightBytes)[..40]), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: invalid JSON"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32",""", EightBytes)), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: header is an array"] = (d => St(d, Safetensors("[1,2,3]", EightBytes)), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: entry without data_offsets"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[2]}}""", EightBytes)), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: negative dimension"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", EightBytes)), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: metadata value not a string"] = (d => St(d, Safetensors("""{"__metadata__":{"format":1},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", EightBytes)), ErrorCodes.SafetensorsHeaderInvalid),
        ["st: offsets past the end"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: overlapping ranges"] = (d => St(d, Safetensors("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: dtype/shape mismatch"] = (d => St(d, Safetensors("""{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: gap between tensors"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: trailing bytes after the last tensor"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: end before begin"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: shape size overflows"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", EightBytes)), ErrorCodes.SafetensorsDataInvalid),
        ["st: duplicate names"] = (d => St(d, Safetensors("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", EightBytes)), ErrorCodes.TensorNameDuplicate),
        ["st: unsupported dtype F8_E4M3"] = (d => St(d, Safetensors("""{"w":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}""", EightBytes)), ErrorCodes.TensorDTypeUnsupported),
        // shards
        ["index: invalid JSON"] = (d => Sharded(d, "{\"weight_map\": [", ("a.safetensors", OneTensor)), ErrorCodes.ShardIndexInvalid),
        ["index: shard outside the folder"] = (d => Sharded(d, """{"weight_map":{"w":"../a.safetensors"}}""", ("a.safetensors", OneTensor)), ErrorCodes.ShardIndexInvalid),
        ["index: shard missing"] = (d => Sharded(d, """{"weight_map":{"w":"b.safetensors"}}""", ("a.safetensors", OneTensor)), ErrorCodes.ShardMissing),
        ["index: tensor in two shards"] = (d => Sharded(d, """{"weight_map":{"w":"a.safetensors","v":"b.safetensors"}}""",
            ("a.safetensors", OneTensor), ("b.safetensors", """{"v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""")), ErrorCodes.ShardIndexInvalid),
        ["index: names a tensor its shard lacks"] = (d => Sharded(d, """{"weight_map":{"w":"a.safetensors","x":"a.safetensors"}}""", ("a.safetensors", OneTensor)), ErrorCodes.ShardIndexInvalid),
        // torch zip
        ["bin: zip without data.pkl"] = (d => Bin(d, [], includePickle: false), ErrorCodes.TorchArchiveInvalid),
        ["bin: truncated zip"] = (d => { Bin(d, OneFloatTensor(0, [6], [1])); var b = File.ReadAllBytes(d.Combine("pytorch_model.bin")); File.WriteAllBytes(d.Combine("pytorch_model.bin"), b[..(b.Length / 2)]); return d.FullPath; }, ErrorCodes.TorchArchiveInvalid),
        ["bin: not a zip at all"] = (d => Folder(d, "pytorch_model.bin", Encoding.ASCII.GetBytes("<html>404</html>")), ErrorCodes.TorchArchiveInvalid),
        ["bin: legacy non-zip torch.save"] = (d => Folder(d, "pytorch_model.bin", [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]), ErrorCodes.TorchLegacyFormat),
        ["bin: big-endian byteorder"] = (d => Bin(d, OneFloatTensor(0, [6], [1]), byteorder: "big"), ErrorCodes.TorchBigEndian),
        ["bin: storage entry missing"] = (d => Bin(d, OneFloatTensor(0, [6], [1]), new() { ["7"] = Floats(1) }), ErrorCodes.TorchStorageInvalid),
        ["bin: view past the storage"] = (d => Bin(d, OneFloatTensor(2, [6], [1])), ErrorCodes.TorchStorageInvalid),
        ["bin: storage larger than its entry"] = (d => Bin(d, OneFloatTensor(0, [6], [1], numel: 600)), ErrorCodes.TorchStorageInvalid),
        ["bin: negative stride"] = (d => Bin(d, StateDict(("w", p => p.Global("torch._utils", "_rebuild_tensor_v2").Tuple(
            q => q.Storage("FloatStorage", "0", 6), q => q.Int(5), q => q.Ints(6), q => q.Tuple(r => r.Int(-1)), q => q.False(), q => q.OrderedDict()).Reduce()))), ErrorCodes.TorchStorageInvalid),
        ["bin: stride-0 view blowing up a tiny storage"] = (d => Bin(d, OneFloatTensor(0, [1 << 14, 1 << 14], [0, 0])), ErrorCodes.TorchStorageInvalid),
        ["bin: root is not a dict"] = (d => Bin(d, new Pickle().Proto().Op(']').Stop().ToArray()), ErrorCodes.TorchNotStateDict),
        ["bin: value is not a tensor"] = (d => Bin(d, new Pickle().Proto().EmptyDict().Str("w").Int(3).Op('s').Stop().ToArray()), ErrorCodes.TorchNotStateDict),
        // pickle
        ["pickle: GLOBAL os system"] = (d => Bin(d, new Pickle().Proto().Global("os", "system").Str("echo pwned").Op('\x85').Reduce().Stop().ToArray()), ErrorCodes.PickleGlobalRefused),
        ["pickle: STACK_GLOBAL builtins eval"] = (d => Bin(d, new Pickle().Proto(4).Str("builtins").Str("eval").Raw(0x93).Str("1").Raw(0x85).Reduce().Stop().ToArray()), ErrorCodes.PickleGlobalRefused),
        ["pickle: subprocess.Popen"] = (d => Bin(d, new Pickle().Proto().Global("subprocess", "Popen").Stop().ToArray()), ErrorCodes.PickleGlobalRefused),
        ["pickle: torch.storage._load_from_bytes"] = (d => Bin(d, new Pickle().Proto().Global("torch.storage", "_load_from_bytes").Stop().ToArray()), ErrorCodes.PickleGlobalRefused),
        ["pickle: REDUCE on a storage class"] = (d => Bin(d, new Pickle().Proto().Global("torch", "FloatStorage").Op(')').Reduce().Stop().ToArray()), ErrorCodes.PickleGlobalRefused),
        ["pickle: REDUCE on a non-callable value"] = (d => Bin(d, new Pickle().Proto().Str("os.system").Op(')').Reduce().Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: BUILD on a list"] = (d => Bin(d, new Pickle().Proto().Op(']').EmptyDict().Op('b').Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: BUILD on a tensor"] = (d => Bin(d, new Pickle().Proto().Tensor("FloatStorage", "0", 6, 0, [6], [1]).EmptyDict().Op('b').Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: NEWOBJ"] = (d => Bin(d, new Pickle().Proto().Global("collections", "OrderedDict").Op(')').Raw(0x81).Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: INST opcode"] = (d => Bin(d, new Pickle().Proto().Mark().Op('i').Raw(Encoding.ASCII.GetBytes("os\nsystem\n")).Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: deep MARK nesting"] = (d => Bin(d, new Pickle().Proto().Raw(Enumerable.Repeat((byte)'(', 100_000).ToArray()).Stop().ToArray()), ErrorCodes.PickleLimitExceeded),
        ["pickle: deep list nesting"] = (d => Bin(d, new Pickle().Proto().Raw(Enumerable.Repeat((byte)']', 200_000).Concat(Enumerable.Repeat((byte)'a', 199_999)).ToArray()).Stop().ToArray()), ErrorCodes.TorchNotStateDict),
        ["pickle: huge memo index"] = (d => Bin(d, new Pickle().Proto().Op('j').Raw(0xff, 0xff, 0xff, 0xff).Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: string length 4 GB"] = (d => Bin(d, new Pickle().Proto().Op('X').Raw(0xff, 0xff, 0xff, 0xff).Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: BINUNICODE8 length 2^63"] = (d => Bin(d, new Pickle().Proto(4).Raw(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x80).Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: LONG4 of 1 GB"] = (d => Bin(d, new Pickle().Proto().Raw(0x8b, 0, 0, 0, 0x40).Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: truncated (no STOP)"] = (d => Bin(d, OneFloatTensor(0, [6], [1])[..^3]), ErrorCodes.PickleInvalid),
        ["pickle: stack underflow"] = (d => Bin(d, new Pickle().Proto().Op('R').Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: malformed persistent id"] = (d => Bin(d, new Pickle().Proto().Str("storage").Op('Q').Stop().ToArray()), ErrorCodes.PickleInvalid),
        ["pickle: tensor with backward hooks"] = (d => Bin(d, StateDict(("w", p => p.Global("torch._utils", "_rebuild_tensor_v2").Tuple(
            q => q.Storage("FloatStorage", "0", 6), q => q.Int(0), q => q.Ints(6), q => q.Ints(1), q => q.False(), q => q.EmptyDict().Int(1).Int(2).Op('s')).Reduce()))), ErrorCodes.PickleInvalid),
        // folder and config
        ["folder: does not exist"] = (d => d.Combine("nope"), ErrorCodes.CheckpointNotFound),
        ["folder: no weights"] = (d => { File.WriteAllText(d.Combine("config.json"), MinimalConfig); File.WriteAllText(d.Combine("tf_model.h5"), "x"); return d.FullPath; }, ErrorCodes.CheckpointNotFound),
        ["folder: no config.json"] = (d => { File.WriteAllBytes(d.Combine("model.safetensors"), Safetensors(OneTensor, EightBytes)); return d.FullPath; }, ErrorCodes.ConfigMissing),
        ["config: not an object"] = (d => Folder(d, "model.safetensors", Safetensors(OneTensor, EightBytes), "[\"bert\"]"), ErrorCodes.ConfigInvalid),
        ["config: invalid JSON"] = (d => Folder(d, "model.safetensors", Safetensors(OneTensor, EightBytes), "{\"model_type\": "), ErrorCodes.ConfigInvalid),
        ["config: wrong type for model_type"] = (d => Folder(d, "model.safetensors", Safetensors(OneTensor, EightBytes), "{\"model_type\": [1]}"), ErrorCodes.ConfigFieldInvalid),
        ["config: id2label keys not integers"] = (d => Folder(d, "model.safetensors", Safetensors(OneTensor, EightBytes), "{\"id2label\": {\"a\": \"x\"}}"), ErrorCodes.ConfigFieldInvalid),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Fact]
    public void TableHasAtLeast25Cases() => Assert.True(Cases.Count >= 25);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GivesItsCodedError(string name)
    {
        var (build, code) = Cases[name];
        using var dir = Fixtures.NewTempDir();
        string folder = build(dir);
        long before = GC.GetTotalAllocatedBytes(precise: false);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<OnnxBuildException>(() =>
        {
            using var checkpoint = Checkpoint.Open(folder);
            foreach (string tensor in checkpoint.TensorNames) _ = checkpoint.GetTensor(tensor).Bytes.Length;
        });
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"{name} took {started.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: false) - before < 256L << 20, $"{name} allocated too much");
        Assert.Equal(code, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void RefusedGlobalIsNamedInTheMessage()
    {
        using var dir = Fixtures.NewTempDir();
        var e = Assert.Throws<OnnxBuildException>(() => Checkpoint.Open(Cases["pickle: GLOBAL os system"].Build(dir)));
        Assert.Contains("os.system", e.Message);
        Assert.Contains("Nothing was executed", e.Message);
    }

    [Fact]
    public void LegacyFormatSaysHowToConvert()
    {
        using var dir = Fixtures.NewTempDir();
        var e = Assert.Throws<OnnxBuildException>(() => Checkpoint.Open(Cases["bin: legacy non-zip torch.save"].Build(dir)));
        Assert.Contains("safe_serialization=True", e.Message);
    }
}
