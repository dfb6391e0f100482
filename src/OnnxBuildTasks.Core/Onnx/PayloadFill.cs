using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>A payload and the byte range reserved for it in the file being written.</summary>
internal sealed record PayloadSlot(string TensorName, ITensorPayload Payload, long Offset);

/// <summary>
/// Fills the reserved ranges of a file with their payloads, several at a time: each slot is written with
/// positioned writes at its own offset, so the bytes do not depend on the order or the number of workers.
/// While one worker is in the kernel copying a finished chunk, another converts or transposes the next one.
/// A range of a source file is copied by the kernel (copy_file_range) where source and destination share their
/// offset within a page; otherwise it is read and written in chunks, which measured twice as fast on ext4 as an
/// unaligned copy_file_range (a model's raw_data lies at arbitrary offsets). The first failing
/// slot (in file order) is the error reported; no new slot starts after a failure.
/// </summary>
internal static class PayloadFill
{
    /// <summary>Most workers used: writes to one file serialize in the kernel, so more only add buffers.</summary>
    private const int MaxWorkers = 4;

    public static void Write(SafeFileHandle file, IReadOnlyList<PayloadSlot> slots)
    {
        if (slots.Count == 0) return;
        int workers = Math.Min(slots.Count, Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers));
        var errors = new Exception?[slots.Count];
        int next = -1;
        bool failed = false;

        void Work()
        {
            int i;
            while (!Volatile.Read(ref failed) && (i = Interlocked.Increment(ref next)) < slots.Count)
            {
                try
                {
                    WriteSlot(file, slots[i]);
                }
                catch (Exception e)
                {
                    errors[i] = e;
                    Volatile.Write(ref failed, true);
                }
            }
        }

        var threads = new Thread[workers - 1];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = "onnx payload writer" };
            threads[t].Start();
        }
        Work();
        foreach (var thread in threads) thread.Join();
        foreach (var error in errors)
            if (error is not null) ExceptionDispatchInfo.Throw(error);
    }

    private static void WriteSlot(SafeFileHandle file, PayloadSlot slot)
    {
        var (name, payload, offset) = slot;
        if (payload is FileRangePayload range && OperatingSystem.IsLinux() && (range.Offset - offset) % Environment.SystemPageSize == 0)
        {
            using var source = File.OpenHandle(range.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (KernelCopy.TryCopy(source, range.Offset, file, offset, range.Length, range.Path)) return;
        }
        using var stream = new SlotStream(file, offset, payload.Length, name);
        payload.WriteTo(stream);
        stream.Flush();
        if (stream.Written != payload.Length)
            throw new OnnxBuildException(ErrorCodes.TensorPayloadInvalid,
                $"The payload for initializer '{name}' wrote {stream.Written} bytes but its Length is {payload.Length}.");
    }
}
