using OnnxBuildTasks.Export;

namespace OnnxBuildTasks.Tests.Export;

public class FloatTransposeTests
{
    // Shapes around the 8×8 block size: whole blocks, ragged edges on either side, fewer than 8 rows or columns.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(8, 8)]
    [InlineData(7, 9)]
    [InlineData(16, 24)]
    [InlineData(13, 29)]
    [InlineData(2, 768)]
    [InlineData(768, 3)]
    [InlineData(67, 131)]
    public void EveryBandMatchesTheDefinitionOfATranspose(int rows, int cols)
    {
        var rng = new Random(rows * 1000 + cols);
        var source = new float[rows * cols];
        for (int i = 0; i < source.Length; i++) source[i] = (float)rng.NextDouble() - 0.5f;

        foreach (int band in new[] { 1, 5, 8, 16, cols })
        {
            for (int j0 = 0; j0 < cols; j0 += band)
            {
                int t = Math.Min(band, cols - j0);
                var destination = new float[t * rows + 3];
                destination.AsSpan().Fill(float.NaN);
                FloatTranspose.Band(source, rows, cols, j0, t, destination);
                for (int k = 0; k < t; k++)
                    for (int r = 0; r < rows; r++)
                        Assert.Equal(source[r * cols + j0 + k], destination[k * rows + r]);
                Assert.All(destination[(t * rows)..], v => Assert.True(float.IsNaN(v))); // nothing written past the band
            }
        }
    }

    [Fact]
    public void ABandOutsideTheMatrixOrTheDestinationIsRefused()
    {
        var source = new float[6 * 10];
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatTranspose.Band(source, 6, 10, 8, 3, new float[18]));   // columns 8..10
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatTranspose.Band(source, 7, 10, 0, 2, new float[14]));   // a seventh row
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatTranspose.Band(source, 6, 10, 0, 4, new float[23]));   // destination short
    }
}
