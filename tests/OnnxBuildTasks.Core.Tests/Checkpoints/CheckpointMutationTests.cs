using System.Diagnostics;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tests.Checkpoints;

/// <summary>
/// Seeded random mutations of real fixture files (byte flips, overwrites with boundary values, truncations,
/// insertions), concentrated on the parts that are parsed (safetensors header, pickle, zip directories).
/// Every outcome must be a coded <see cref="OnnxBuildException"/> or a checkpoint whose every tensor reads.
/// </summary>
public class CheckpointMutationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("bert-feature-extraction-fp16", "model.safetensors", 1234, 3)]
    [InlineData("bert-feature-extraction-fp16", "pytorch_model.bin", 5678, 4)]
    [InlineData("gpt2-text-generation-sharded", "model.safetensors.index.json", 91011, 2)]
    public void MutatedFilesGiveCodedErrorsOrReadableTensors(string fixtureName, string fileName, int seed, int distinctCodes)
    {
        string fixture = Fixtures.Path("hf-tiny", fixtureName);
        byte[] original = File.ReadAllBytes(Path.Combine(fixture, fileName));
        using var dir = new ScratchDir();
        // config.json plus the weight files of the mutated file's format (other shards stay intact)
        string format = fileName.StartsWith("model", StringComparison.Ordinal) ? "model" : "pytorch_model";
        foreach (string file in Directory.EnumerateFiles(fixture).Where(f => Path.GetFileName(f) == "config.json" || Path.GetFileName(f).StartsWith(format, StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(dir.FullPath, Path.GetFileName(file)));
        string target = Path.Combine(dir.FullPath, fileName);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        int runs = 0, opened = 0;
        var codes = new HashSet<string>();
        while (runs < 5000 && (clock.Elapsed < Budget || runs < 1000))
        {
            File.WriteAllBytes(target, Mutate(original, random));
            runs++;
            try
            {
                using var ckpt = Checkpoint.Open(dir.FullPath);
                foreach (string name in ckpt.TensorNames)
                {
                    var t = ckpt.GetTensor(name);
                    Assert.Equal(t.ByteLength, t.Bytes.Length);
                    _ = t.DType.IsFloatingPoint() ? t.ToFloat32().Length : t.ToInt64().Length;
                }
                opened++;
            }
            catch (OnnxBuildException e)
            {
                Assert.StartsWith("OBT3", e.Code);
                codes.Add(e.Code);
            }
        }
        output.WriteLine($"{fileName}: {runs} mutations in {clock.Elapsed.TotalSeconds:0.0} s, {opened} readable, codes {string.Join(", ", codes.Order())}");
        Assert.True(runs >= 1000, $"only {runs} mutations ran");
        Assert.True(codes.Count >= distinctCodes, $"mutations hit too few checks: {string.Join(", ", codes)}");
        Assert.True(opened > 0, "no mutation left a readable checkpoint; the mutator is too destructive to test reads");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int hotEnd = Math.Min(bytes.Length, 6000);       // safetensors header / zip local header + data.pkl
        int tailStart = Math.Max(0, bytes.Length - 6000); // zip central directory
        int Pick() => random.Next(3) switch
        {
            0 => random.Next(hotEnd),
            1 => tailStart + random.Next(bytes.Length - tailStart),
            _ => random.Next(bytes.Length),
        };
        int edits = 1 + random.Next(4);
        for (int i = 0; i < edits; i++)
        {
            switch (random.Next(6))
            {
                case 0: bytes[Pick()] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[Pick()] = (byte)random.Next(256); break;
                case 2:
                {
                    byte[] boundary = [0x00, 0xff, 0x7f, 0x80, (byte)'(', (byte)'}', (byte)']', (byte)'R', (byte)'b', (byte)'"', (byte)'9'];
                    bytes[Pick()] = boundary[random.Next(boundary.Length)];
                    break;
                }
                case 3: return bytes[..Pick()];
                case 4:
                {
                    int at = Pick();
                    return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
                }
                default:
                {
                    int at = Pick(), length = Math.Min(8, bytes.Length - at);
                    random.NextBytes(bytes.AsSpan(at, length));
                    break;
                }
            }
        }
        return bytes;
    }

    /// <summary>A scratch folder in memory (/dev/shm) where there is one: thousands of small writes stay off the disk.</summary>
    private sealed class ScratchDir : IDisposable
    {
        public ScratchDir()
        {
            string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            FullPath = Path.Combine(root, "obt-mutation-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(FullPath);
        }

        public string FullPath { get; }

        public void Dispose() => Directory.Delete(FullPath, recursive: true);
    }
}
