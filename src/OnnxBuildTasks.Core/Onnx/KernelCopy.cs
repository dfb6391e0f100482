using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Copies a byte range between two files inside the kernel (Linux <c>copy_file_range</c>: no pass
/// through managed buffers, a reflink where the file system can). Reports false when the kernel or
/// file system cannot, so the caller copies the range itself.
/// </summary>
internal static partial class KernelCopy
{
    private const int ENOSYS = 38, EXDEV = 18, EINVAL = 22, EOPNOTSUPP = 95, EPERM = 1, EBADF = 9;

    /// <summary>Copies <paramref name="length"/> bytes from <paramref name="sourceOffset"/> to <paramref name="destinationOffset"/>; false when nothing was copied because the call is unsupported here.</summary>
    public static bool TryCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long length, string sourceName)
    {
        if (!OperatingSystem.IsLinux() || length == 0) return length == 0;
        long inOffset = sourceOffset, outOffset = destinationOffset, left = length;
        int fdIn = (int)source.DangerousGetHandle(), fdOut = (int)destination.DangerousGetHandle();
        while (left > 0)
        {
            nint n;
            try
            {
                n = CopyFileRange(fdIn, ref inOffset, fdOut, ref outOffset, (nuint)Math.Min(left, 1L << 30), 0);
            }
            catch (EntryPointNotFoundException)
            {
                return false; // a C library without copy_file_range
            }
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (left == length && errno is ENOSYS or EXDEV or EINVAL or EOPNOTSUPP or EPERM or EBADF) return false;
                throw new IOException($"Copying from '{sourceName}' failed (copy_file_range errno {errno}).");
            }
            if (n == 0)
                throw new EndOfStreamException($"'{sourceName}' ended {left} bytes before the end of the range [{sourceOffset}, {sourceOffset + length}).");
            left -= n;
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(int fdIn, ref long offIn, int fdOut, ref long offOut, nuint len, uint flags);
}
