using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace OnnxBuildTasks.MSBuild
{
    /// <summary>
    /// The external data locations an ONNX file names, read from the protobuf wire format without loading the
    /// model: ModelProto.graph (7) → GraphProto.initializer (5) and sparse_initializer (15) → TensorProto
    /// external_data (13, key "location") with data_location (14) = EXTERNAL. Everything else, raw_data included,
    /// is skipped by seeking, so a multi-GB inline model costs a few reads. A file that is not a well-formed model
    /// gives what was found before the defect (the engine reports the defect with its code); this never throws.
    /// </summary>
    internal static class OnnxExternalDataScanner
    {
        private const int WireVarint = 0, WireFixed64 = 1, WireLength = 2, WireFixed32 = 5;
        private const int MaxLocationBytes = 4096;

        /// <summary>Distinct locations (as written, relative to the model's folder), in file order.</summary>
        public static IReadOnlyList<string> Locations(string modelPath)
        {
            var found = new List<string>();
            try
            {
                using (var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, FileOptions.RandomAccess))
                {
                    var reader = new WireReader(stream);
                    ScanModel(reader, stream.Length, found);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException || e is NotSupportedException)
            {
                // keep what was found; the engine reports a malformed or unreadable model
            }
            return found;
        }

        private static void ScanModel(WireReader r, long end, List<string> found)
        {
            while (r.Position < end)
            {
                var (field, wire) = r.ReadTag();
                if (field == 7 && wire == WireLength) ScanGraph(r, r.ReadLengthEnd(end), found);
                else r.Skip(wire, end);
            }
        }

        private static void ScanGraph(WireReader r, long end, List<string> found)
        {
            while (r.Position < end)
            {
                var (field, wire) = r.ReadTag();
                if (field == 5 && wire == WireLength) ScanTensor(r, r.ReadLengthEnd(end), found);
                else if (field == 15 && wire == WireLength) ScanSparseTensor(r, r.ReadLengthEnd(end), found);
                else r.Skip(wire, end);
            }
            r.Seek(end);
        }

        private static void ScanSparseTensor(WireReader r, long end, List<string> found)
        {
            while (r.Position < end)
            {
                var (field, wire) = r.ReadTag();
                if ((field == 1 || field == 2) && wire == WireLength) ScanTensor(r, r.ReadLengthEnd(end), found);
                else r.Skip(wire, end);
            }
            r.Seek(end);
        }

        private static void ScanTensor(WireReader r, long end, List<string> found)
        {
            string? location = null;
            bool external = false;
            while (r.Position < end)
            {
                var (field, wire) = r.ReadTag();
                if (field == 13 && wire == WireLength)
                {
                    long entryEnd = r.ReadLengthEnd(end);
                    string? key = null, value = null;
                    while (r.Position < entryEnd)
                    {
                        var (f, w) = r.ReadTag();
                        if ((f == 1 || f == 2) && w == WireLength)
                        {
                            string? s = r.ReadString(r.ReadLengthEnd(entryEnd));
                            if (f == 1) key = s;
                            else value = s;
                        }
                        else r.Skip(w, entryEnd);
                    }
                    r.Seek(entryEnd);
                    if (key == "location" && value != null) location = value;
                }
                else if (field == 14 && wire == WireVarint) external = r.ReadVarint() == 1;
                else r.Skip(wire, end);
            }
            r.Seek(end);
            if (external && location != null && !found.Contains(location)) found.Add(location);
        }

        /// <summary>Reads tags, varints and short strings from a seekable stream; lengths are checked against their parent's end.</summary>
        private sealed class WireReader
        {
            private readonly Stream _stream;
            private readonly byte[] _buffer = new byte[8192];
            private long _bufferStart;
            private int _bufferLength;
            private int _offset;

            public WireReader(Stream stream) => _stream = stream;

            public long Position => _bufferStart + _offset;

            public (int Field, int Wire) ReadTag()
            {
                ulong tag = ReadVarint();
                int field = (int)(tag >> 3);
                if (field <= 0 || tag >> 3 > int.MaxValue) throw new InvalidDataException("bad tag");
                return (field, (int)(tag & 7));
            }

            public ulong ReadVarint()
            {
                ulong value = 0;
                for (int shift = 0; shift < 64; shift += 7)
                {
                    byte b = ReadByte();
                    value |= (ulong)(b & 0x7f) << shift;
                    if ((b & 0x80) == 0) return value;
                }
                throw new InvalidDataException("varint too long");
            }

            /// <summary>Reads a length and returns where the field ends; it must end within <paramref name="parentEnd"/>.</summary>
            public long ReadLengthEnd(long parentEnd)
            {
                ulong length = ReadVarint();
                if (length > (ulong)(parentEnd - Position)) throw new InvalidDataException("length past the end");
                return Position + (long)length;
            }

            public string? ReadString(long end)
            {
                long length = end - Position;
                if (length > MaxLocationBytes)
                {
                    Seek(end);
                    return null;
                }
                var bytes = new byte[length];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = ReadByte();
                return Encoding.UTF8.GetString(bytes);
            }

            public void Skip(int wire, long parentEnd)
            {
                switch (wire)
                {
                    case WireVarint: ReadVarint(); break;
                    case WireFixed64: SeekWithin(Position + 8, parentEnd); break;
                    case WireLength: Seek(ReadLengthEnd(parentEnd)); break;
                    case WireFixed32: SeekWithin(Position + 4, parentEnd); break;
                    default: throw new InvalidDataException("unsupported wire type");
                }
            }

            private void SeekWithin(long target, long parentEnd)
            {
                if (target > parentEnd) throw new InvalidDataException("field past the end");
                Seek(target);
            }

            public void Seek(long target)
            {
                if (target >= _bufferStart && target <= _bufferStart + _bufferLength)
                {
                    _offset = (int)(target - _bufferStart);
                    return;
                }
                _stream.Position = target;
                _bufferStart = target;
                _bufferLength = 0;
                _offset = 0;
            }

            private byte ReadByte()
            {
                if (_offset == _bufferLength)
                {
                    _bufferStart += _bufferLength;
                    _stream.Position = _bufferStart;
                    _bufferLength = _stream.Read(_buffer, 0, _buffer.Length);
                    _offset = 0;
                    if (_bufferLength == 0) throw new InvalidDataException("unexpected end of file");
                }
                return _buffer[_offset++];
            }
        }
    }
}
