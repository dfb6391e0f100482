using System.Buffers.Binary;
using System.Text;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// A pickle reader that executes nothing. It understands the opcodes torch.save emits (protocols 2-5)
/// and resolves globals only through <see cref="PickleAllowList"/>: anything else is refused by name.
/// Calls to allowed globals build plain descriptions (<see cref="PickleDict"/>, <see cref="TensorRef"/>);
/// persistent ids become <see cref="StorageRef"/>s. Resources are bounded: the memo, the stack, the mark
/// depth and every length are checked before anything is allocated.
/// </summary>
internal sealed partial class PickleReader
{
    /// <summary>Most memo entries a pickle may create.</summary>
    public const int MaxMemo = 1 << 22;

    /// <summary>Most values on the stack at once.</summary>
    public const int MaxStack = 1 << 22;

    /// <summary>Deepest MARK nesting.</summary>
    public const int MaxMarkDepth = 4096;

    /// <summary>Longest GLOBAL line (module or name).</summary>
    private const int MaxLine = 512;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly byte[] _data;
    private readonly string _origin;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;

    private PickleReader(byte[] data, string origin)
    {
        _data = data;
        _origin = origin;
    }

    /// <summary>Reads one pickle from <paramref name="data"/>; <paramref name="origin"/> names it in errors.</summary>
    public static object? Read(byte[] data, string origin) => new PickleReader(data, origin).Run();

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Invalid("the pickle ends without a STOP opcode (truncated?)");
            int at = _pos;
            byte op = _data[_pos++];
            if (op == (byte)'.') // STOP
            {
                if (_stack.Count != 1 || _marks.Count != 0) throw Invalid("STOP with an unbalanced stack");
                return _stack[0];
            }
            if (!Step(op)) throw Invalid($"opcode 0x{op:x2} at byte {at} is not one a state dict needs");
        }
    }

    private bool Step(byte op)
    {
        switch (op)
        {
            case 0x80: ReadBytes(1); break; // PROTO
            case 0x95: ReadBytes(8); break; // FRAME: framing is only a hint for buffered readers
            case (byte)'(': if (_marks.Count >= MaxMarkDepth) throw Limit($"MARK nesting deeper than {MaxMarkDepth}"); _marks.Push(_stack.Count); break;
            case (byte)'0': Pop(); break; // POP
            case (byte)'1': PopMark(); break; // POP_MARK
            case (byte)'2': Push(Peek()); break; // DUP
            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break; // NEWTRUE
            case 0x89: Push(false); break; // NEWFALSE
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
            case (byte)'K': Push((long)ReadBytes(1)[0]); break; // BININT1
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
            case 0x8a: Push(ReadLong(ReadBytes(1)[0])); break; // LONG1
            case 0x8b: Push(ReadLong(ReadLength(4))); break; // LONG4
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
            case (byte)'X': Push(ReadString(ReadLength(4))); break; // BINUNICODE
            case 0x8c: Push(ReadString(ReadBytes(1)[0])); break; // SHORT_BINUNICODE
            case 0x8d: Push(ReadString(ReadLength(8))); break; // BINUNICODE8
            case (byte)'T': Push(Encoding.Latin1.GetString(ReadBytes(ReadLength(4)))); break; // BINSTRING
            case (byte)'U': Push(Encoding.Latin1.GetString(ReadBytes(ReadBytes(1)[0]))); break; // SHORT_BINSTRING
            case (byte)'B': Push(ReadBytes(ReadLength(4)).ToArray()); break; // BINBYTES
            case (byte)'C': Push(ReadBytes(ReadBytes(1)[0]).ToArray()); break; // SHORT_BINBYTES
            case 0x8e: Push(ReadBytes(ReadLength(8)).ToArray()); break; // BINBYTES8
            case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
            case 0x85: Push(new PickleTuple(PopN(1))); break; // TUPLE1
            case 0x86: Push(new PickleTuple(PopN(2))); break; // TUPLE2
            case 0x87: Push(new PickleTuple(PopN(3))); break; // TUPLE3
            case (byte)'t': Push(new PickleTuple(PopMark())); break; // TUPLE
            case (byte)']': Push(new PickleList()); break; // EMPTY_LIST
            case (byte)'l': { var list = new PickleList(); list.Items.AddRange(PopMark()); Push(list); break; } // LIST
            case (byte)'a': { var item = Pop(); As<PickleList>(Peek(), "APPEND").Items.Add(item); break; }
            case (byte)'e': { var items = PopMark(); As<PickleList>(Peek(), "APPENDS").Items.AddRange(items); break; }
            case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
            case (byte)'d': { var dict = new PickleDict(); AddPairs(dict, PopMark()); Push(dict); break; } // DICT
            case (byte)'s': { var value = Pop(); var key = Pop(); As<PickleDict>(Peek(), "SETITEM").Items.Add(new(key, value)); break; }
            case (byte)'u': { var items = PopMark(); AddPairs(As<PickleDict>(Peek(), "SETITEMS"), items); break; }
            case 0x8f: Push(new PickleSet()); break; // EMPTY_SET
            case 0x90: { var items = PopMark(); As<PickleSet>(Peek(), "ADDITEMS").Items.AddRange(items); break; }
            case 0x91: { var set = new PickleSet(); set.Items.AddRange(PopMark()); Push(set); break; } // FROZENSET
            case (byte)'q': MemoPut(ReadBytes(1)[0]); break; // BINPUT
            case (byte)'r': MemoPut(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))); break; // LONG_BINPUT
            case 0x94: MemoPut(_memo.Count); break; // MEMOIZE
            case (byte)'h': Push(MemoGet(ReadBytes(1)[0])); break; // BINGET
            case (byte)'j': Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET
            case (byte)'c': Push(ResolveGlobal(ReadLine(), ReadLine())); break; // GLOBAL
            case 0x93: { var name = Pop(); var module = Pop(); Push(ResolveGlobal(As<string>(module, "STACK_GLOBAL"), As<string>(name, "STACK_GLOBAL"))); break; }
            case (byte)'Q': Push(PersistentLoad(Pop())); break; // BINPERSID
            case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; } // REDUCE
            case (byte)'b': { var state = Pop(); Build(Peek(), state); break; } // BUILD
            default: return false;
        }
        return true;
    }

    private void Push(object? value)
    {
        if (_stack.Count >= MaxStack) throw Limit($"more than {MaxStack} values on the stack");
        _stack.Add(value);
    }

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count <= _marks.Peek())) throw Invalid($"stack underflow at byte {_pos - 1}");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek()
    {
        if (_stack.Count == 0) throw Invalid($"stack underflow at byte {_pos - 1}");
        return _stack[^1];
    }

    private object?[] PopN(int n)
    {
        var items = new object?[n];
        for (int i = n - 1; i >= 0; i--) items[i] = Pop();
        return items;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw Invalid($"an opcode at byte {_pos - 1} needs a MARK that is not there");
        int mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private void AddPairs(PickleDict dict, object?[] items)
    {
        if (items.Length % 2 != 0) throw Invalid("a dict has an odd number of keys and values");
        for (int i = 0; i < items.Length; i += 2) dict.Items.Add(new(items[i], items[i + 1]));
    }

    private void MemoPut(long index)
    {
        if (_memo.Count >= MaxMemo && !_memo.ContainsKey(index)) throw Limit($"more than {MaxMemo} memo entries");
        _memo[index] = Peek();
    }

    private object? MemoGet(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Invalid($"memo entry {index} is read before it is written");

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _pos) throw Invalid($"a value at byte {_pos} runs past the end of the pickle (truncated?)");
        var span = _data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private int ReadLength(int width)
    {
        var bytes = ReadBytes(width);
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > (ulong)(_data.Length - _pos)) throw Invalid($"a length of {length} at byte {_pos - width} is longer than the rest of the pickle");
        return (int)length;
    }

    private long ReadLong(int byteCount)
    {
        var bytes = ReadBytes(byteCount);
        if (byteCount > 8) throw Limit($"an integer of {byteCount} bytes does not fit in 64 bits");
        long value = 0;
        for (int i = byteCount - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (byteCount is > 0 and < 8 && (bytes[byteCount - 1] & 0x80) != 0) value -= 1L << (8 * byteCount);
        return value;
    }

    private string ReadString(int count)
    {
        try
        {
            return StrictUtf8.GetString(ReadBytes(count));
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"a string before byte {_pos} is not valid UTF-8");
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos, Math.Min(MaxLine, _data.Length - _pos));
        if (end < 0) throw Invalid($"a GLOBAL at byte {_pos} has no name line of at most {MaxLine} bytes");
        string line = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return line;
    }

    private T As<T>(object? value, string opcode) where T : class =>
        value as T ?? throw Invalid($"{opcode} at byte {_pos - 1} applies to a {Describe(value)}, not a {typeof(T).Name}");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => "global " + g,
        _ => value.GetType().Name,
    };

    private OnnxBuildException Invalid(string what) =>
        new(ErrorCodes.PickleInvalid, $"'{_origin}' is not a state dict pickle this engine reads: {what}. Re-save the model with save_pretrained (safetensors preferred).");

    private OnnxBuildException Limit(string what) =>
        new(ErrorCodes.PickleLimitExceeded, $"'{_origin}' exceeds a pickle reader limit: {what}. This is not what torch.save writes for a state dict.");
}
