using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxBuildTasks.Export;

/// <summary>
/// Transposes a band of a row-major float32 matrix: 8×8 blocks with AVX shuffles where the CPU has them
/// (about five times faster than element by element), element by element for the edges and elsewhere.
/// </summary>
internal static class FloatTranspose
{
    /// <summary>
    /// destination[k·rows + r] = source[r·cols + j0 + k] for r &lt; rows, k &lt; t: output rows j0 .. j0+t-1 of the
    /// [cols, rows] transpose of the [rows, cols] source.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Band(ReadOnlySpan<float> source, int rows, int cols, int j0, int t, Span<float> destination)
    {
        if (rows < 0 || cols < 0 || j0 < 0 || t < 0 || j0 + t > cols
            || (rows > 0 && (long)(rows - 1) * cols + j0 + t > source.Length) || (long)t * rows > destination.Length)
            throw new ArgumentOutOfRangeException(nameof(t), "The band lies outside the matrix or the destination.");
        fixed (float* src = source)
        fixed (float* dst = destination)
        {
            int rows8 = 0, t8 = 0;
            if (Avx.IsSupported)
            {
                rows8 = rows & ~7;
                t8 = t & ~7;
                for (int r0 = 0; r0 < rows8; r0 += 8)
                    for (int k0 = 0; k0 < t8; k0 += 8)
                        Block8(src + (long)r0 * cols + j0 + k0, cols, dst + (long)k0 * rows + r0, rows);
            }
            // What the blocks did not cover: the columns past t8 for every row, and the rows past rows8.
            for (int r = 0; r < rows; r++)
            {
                float* row = src + (long)r * cols + j0;
                for (int k = r < rows8 ? t8 : 0; k < t; k++)
                    dst[(long)k * rows + r] = row[k];
            }
        }
    }

    // Loads 8 rows of 8 floats (stride sourceStride) and stores them as 8 columns (stride destinationStride).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block8(float* s, int sourceStride, float* d, int destinationStride)
    {
        var a0 = Avx.LoadVector256(s);
        var a1 = Avx.LoadVector256(s + sourceStride);
        var a2 = Avx.LoadVector256(s + 2L * sourceStride);
        var a3 = Avx.LoadVector256(s + 3L * sourceStride);
        var a4 = Avx.LoadVector256(s + 4L * sourceStride);
        var a5 = Avx.LoadVector256(s + 5L * sourceStride);
        var a6 = Avx.LoadVector256(s + 6L * sourceStride);
        var a7 = Avx.LoadVector256(s + 7L * sourceStride);
        // Interleave pairs of rows, then pairs of pairs: within each 128-bit lane the 4×4 blocks are transposed.
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        Vector256<float> t4 = Avx.UnpackLow(a4, a5), t5 = Avx.UnpackHigh(a4, a5), t6 = Avx.UnpackLow(a6, a7), t7 = Avx.UnpackHigh(a6, a7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Swap the 128-bit halves across the two groups of four rows.
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + destinationStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2L * destinationStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3L * destinationStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4L * destinationStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5L * destinationStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6L * destinationStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7L * destinationStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
