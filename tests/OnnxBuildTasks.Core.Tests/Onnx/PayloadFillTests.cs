using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Onnx;

public class PayloadFillTests
{
    [Fact]
    public void SlotsFilledTogetherHoldExactlyTheirPayloadsWhateverTheWriteSizes()
    {
        using var dir = Fixtures.NewTempDir();
        var rng = new Random(7);
        var slots = new List<PayloadSlot>();
        var expected = new byte[1 << 20];
        long offset = 11;
        for (int i = 0; i < 60 && offset < expected.Length - 40000; i++)
        {
            var bytes = new byte[rng.Next(0, 40000)];
            rng.NextBytes(bytes);
            bytes.CopyTo(expected, offset);
            // Byte-by-byte, odd-sized and whole writes: SlotStream gathers the small ones.
            slots.Add(new PayloadSlot("t" + i, new ChunkedPayload(bytes, chunk: i % 3 == 0 ? 1 : i % 3 == 1 ? 997 : bytes.Length), offset));
            offset += bytes.Length + rng.Next(0, 5);
        }
        string path = dir.Combine("filled.bin");
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(file, expected.Length);
            PayloadFill.Write(file, slots);
        }
        Assert.Equal(expected, File.ReadAllBytes(path)); // gaps stay zero
    }

    // Source and slot at the same offset within a page (copied by the kernel on Linux) and at different ones (read and written).
    [Theory]
    [InlineData(4096 + 1234, 1234)]
    [InlineData(1234, 500)]
    public void AFileRangeIsCopiedIntoItsSlot(int sourceOffset, int slotOffset)
    {
        using var dir = Fixtures.NewTempDir();
        var source = Enumerable.Range(0, 12000).Select(i => (byte)(i * 7 + i / 256)).ToArray();
        File.WriteAllBytes(dir.Combine("source.bin"), source);
        string path = dir.Combine("filled.bin");
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(file, slotOffset + 6000);
            PayloadFill.Write(file, [new PayloadSlot("r", TensorPayload.FromFile(dir.Combine("source.bin"), sourceOffset, 6000), slotOffset)]);
        }
        var filled = File.ReadAllBytes(path);
        Assert.Equal(source[sourceOffset..(sourceOffset + 6000)], filled[slotOffset..]);
        Assert.All(filled[..slotOffset], b => Assert.Equal(0, b));
    }

    [Fact]
    public void APayloadWritingPastItsLengthIsStoppedBeforeItReachesTheNextSlot()
    {
        using var dir = Fixtures.NewTempDir();
        string path = dir.Combine("filled.bin");
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
        RandomAccess.SetLength(file, 20);
        var e = Assert.Throws<OnnxBuildException>(() => PayloadFill.Write(file,
            [new PayloadSlot("greedy", new ChunkedPayload(new byte[12], chunk: 5, claimedLength: 10), 0)]));
        Assert.Equal(ErrorCodes.TensorPayloadInvalid, e.Code);
        Assert.Contains("'greedy'", e.Message);
        var bytes = new byte[20];
        RandomAccess.Read(file, bytes, 0);
        Assert.All(bytes[10..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void TheFirstFailingSlotInFileOrderIsTheErrorReported()
    {
        using var dir = Fixtures.NewTempDir();
        using var file = File.OpenHandle(dir.Combine("filled.bin"), FileMode.CreateNew, FileAccess.ReadWrite);
        var slots = new List<PayloadSlot> { new("first", new FailingPayload("first"), 0) };
        for (int i = 1; i < 40; i++)
            slots.Add(new PayloadSlot("s" + i, i % 10 == 0 ? new FailingPayload("later " + i) : new ChunkedPayload(new byte[100], 100), i * 100));
        for (int run = 0; run < 20; run++)
        {
            var e = Assert.Throws<InvalidDataException>(() => PayloadFill.Write(file, slots));
            Assert.Equal("first", e.Message);
        }
    }

    private sealed class ChunkedPayload(byte[] bytes, int chunk, long? claimedLength = null) : ITensorPayload
    {
        public long Length => claimedLength ?? bytes.Length;

        public void WriteTo(Stream destination)
        {
            for (int at = 0; at < bytes.Length; at += Math.Max(1, chunk))
            {
                int n = Math.Min(Math.Max(1, chunk), bytes.Length - at);
                if (n == 1) destination.WriteByte(bytes[at]);
                else destination.Write(bytes, at, n);
            }
        }
    }

    private sealed class FailingPayload(string message) : ITensorPayload
    {
        public long Length => 100;

        public void WriteTo(Stream destination) => throw new InvalidDataException(message);
    }
}
