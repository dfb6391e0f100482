using OnnxBuildTasks.Export;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Export;

public class StreamedWeightTests
{
    [Theory]
    [InlineData(3, 5)]
    [InlineData(1_100_000, 2)]   // one output row longer than the tile buffer
    [InlineData(300, 700)]   // several tiles
    public void TransposesAndConvertsRowMajorWeights(int rows, int cols)
    {
        var source = new float[rows * cols];
        for (int i = 0; i < source.Length; i++) source[i] = i * 0.5f - 7f;
        var bytes = new byte[source.Length * 4];
        Buffer.BlockCopy(source, 0, bytes, 0, bytes.Length);

        foreach (var target in new[] { DataType.Float, DataType.Float16 })
        {
            var w = new StreamedWeight(() => bytes, SourceElement.Float32, [rows, cols], target, transpose: true);
            Assert.Equal(new long[] { cols, rows }, w.Shape);
            using var ms = new MemoryStream();
            w.WriteTo(ms);
            Assert.Equal(w.Length, ms.Length);
            var written = ms.ToArray();
            for (int j = 0; j < cols; j += Math.Max(1, cols / 7))
                for (int r = 0; r < rows; r += Math.Max(1, rows / 11))
                {
                    long index = (long)j * rows + r;
                    float actual = target == DataType.Float
                        ? BitConverter.ToSingle(written, (int)(index * 4))
                        : (float)BitConverter.ToHalf(written, (int)(index * 2));
                    float expected = target == DataType.Float ? source[r * cols + j] : (float)(Half)source[r * cols + j];
                    Assert.Equal(expected, actual);
                }
        }
    }

    [Fact]
    public void WidensBFloat16AndHalfToFloat()
    {
        float[] values = [1.5f, -2.25f, 1024f, 0.0078125f];
        var bf16 = values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))).ToArray();
        var f16 = values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();
        foreach (var (src, kind) in new[] { (bf16, SourceElement.BFloat16), (f16, SourceElement.Float16) })
        {
            var w = new StreamedWeight(() => src, kind, [4], DataType.Float, transpose: false);
            using var ms = new MemoryStream();
            w.WriteTo(ms);
            var floats = new float[4];
            Buffer.BlockCopy(ms.ToArray(), 0, floats, 0, 16);
            Assert.Equal(values, floats);
        }
    }
}
