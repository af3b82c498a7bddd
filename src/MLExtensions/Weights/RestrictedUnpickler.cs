using System.Buffers.Binary;
using System.Text;

namespace MLExtensions.Weights;

/// <summary>
/// Reads the pickle inside a PyTorch weights file as plain data, without running anything from it. It understands the
/// opcodes that data needs (numbers, strings, bytes, tuples, lists, dicts, the memo, persistent ids) and resolves
/// only an allow-list of globals, each to a fixed reader here: <c>collections.OrderedDict</c>,
/// <c>torch._utils._rebuild_tensor_v2</c> (and <c>_rebuild_tensor</c>, <c>_rebuild_parameter</c>) and the
/// <c>torch.*Storage</c> types. Any other global (for example <c>os.system</c>) is refused the moment it is read,
/// before any later opcode could use it; so is every opcode that builds arbitrary objects (INST, OBJ, NEWOBJ, EXT*).
/// </summary>
internal sealed class RestrictedUnpickler
{
    /// <summary>A global the allow-list admits, kept as its name until a REDUCE calls the matching reader.</summary>
    internal sealed record Global(string Module, string Name)
    {
        public string FullName => $"{Module}.{Name}";
    }

    /// <summary>A call of <c>_rebuild_tensor_v2</c>: a view of a storage.</summary>
    internal sealed record TensorView(object Storage, long Offset, long[] Size, long[] Stride);

    /// <summary>The result of OrderedDict() or a dict literal, in insertion order.</summary>
    internal sealed class PickleDict
    {
        public List<KeyValuePair<object, object?>> Items { get; } = [];

        public void Set(object? key, object? value, RestrictedUnpickler reader)
        {
            if (key is null)
                throw reader.Malformed("a dict key is None");
            int index = Items.FindIndex(i => Equals(i.Key, key));
            if (index >= 0)
                Items[index] = new(key, value);
            else
                Items.Add(new(key, value));
        }
    }

    private static readonly HashSet<string> StorageTypes =
    [
        "DoubleStorage", "FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage",
        "CharStorage", "ByteStorage", "BoolStorage",
    ];

    private static readonly object Mark = new();

    private readonly byte[] _data;
    private readonly string _source;
    private readonly Func<object?[], object> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private RestrictedUnpickler(byte[] data, string source, Func<object?[], object> persistentLoad)
    {
        _data = data;
        _source = source;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads the pickle in <paramref name="data"/> and returns its top-level object.</summary>
    /// <param name="data">The pickle's bytes.</param>
    /// <param name="source">What to call the pickle in error messages (the file and entry).</param>
    /// <param name="persistentLoad">Turns a persistent id tuple into an object (the storages).</param>
    /// <exception cref="InvalidDataException">The pickle is malformed, truncated, or refers to anything but tensor data.</exception>
    public static object? Load(byte[] data, string source, Func<object?[], object> persistentLoad) =>
        new RestrictedUnpickler(data, source, persistentLoad).Run();

    private object? Run()
    {
        while (true)
        {
            int at = _position;
            byte op = Byte();
            switch (op)
            {
                case 0x80: Byte(); break;                                   // PROTO
                case 0x95: Bytes(8); break;                                 // FRAME (a length hint)
                case (byte)'.':                                             // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                        throw Malformed("STOP with an unbalanced stack");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); _stack.Add(Mark); break; // MARK
                case (byte)'0': Pop(); break;                               // POP
                case (byte)'1': PopMark(); break;                           // POP_MARK
                case (byte)'2': Push(Peek()); break;                        // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;                               // NEWTRUE
                case 0x89: Push(false); break;                              // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break; // BININT
                case (byte)'K': Push((long)Byte()); break;                  // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break; // BININT2
                case 0x8a: Push(Long(Byte())); break;                       // LONG1
                case 0x8b: Push(Long(BinaryPrimitives.ReadInt32LittleEndian(Bytes(4)))); break; // LONG4
                case (byte)'I': Push(TextInt(Line())); break;               // INT
                case (byte)'L': Push(TextInt(Line().TrimEnd('L'))); break;  // LONG
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break; // BINFLOAT
                case (byte)'F': Push(TextFloat(Line())); break;             // FLOAT
                case (byte)'X': Push(Utf8(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Byte())); break;                       // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Length(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8))))); break; // BINUNICODE8
                case (byte)'T': Push(Latin1(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break; // BINSTRING
                case (byte)'U': Push(Latin1(Byte())); break;                // SHORT_BINSTRING
                case (byte)'B': Push(Bytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Bytes(Byte()).ToArray()); break;       // SHORT_BINBYTES
                case 0x8e: Push(Bytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8)))).ToArray()); break; // BINBYTES8
                case (byte)')': Push(Array.Empty<object?>()); break;        // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break;           // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                    // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)']': Push(new List<object?>()); break;           // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break;                     // LIST
                case (byte)'a': { var v = Pop(); List(Peek()).Add(v); break; } // APPEND
                case (byte)'e': { var items = PopMark(); List(Peek()).AddRange(items); break; } // APPENDS
                case (byte)'}': Push(new PickleDict()); break;              // EMPTY_DICT
                case (byte)'d': Push(ToDict(PopMark())); break;             // DICT
                case (byte)'s': { var v = Pop(); var k = Pop(); Dict(Peek()).Set(k, v, this); break; } // SETITEM
                case (byte)'u': { var items = PopMark(); var d = Dict(Peek()); for (int i = 0; i + 1 < items.Count; i += 2) d.Set(items[i], items[i + 1], this); break; } // SETITEMS
                case (byte)'p': _memo[TextInt(Line())] = Peek(); break;     // PUT
                case (byte)'q': _memo[Byte()] = Peek(); break;              // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;              // MEMOIZE
                case (byte)'g': Push(Memo(TextInt(Line()))); break;         // GET
                case (byte)'h': Push(Memo(Byte())); break;                  // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break; // LONG_BINGET
                case (byte)'c': { string module = Line(); string name = Line(); Push(Resolve(module, name)); break; } // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(Resolve(Text(module, "module"), Text(name, "name"))); break; } // STACK_GLOBAL
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; } // REDUCE
                case (byte)'b': Pop(); Peek(); break;                       // BUILD: state for an allowed object, e.g. a state_dict's _metadata; not applied
                case (byte)'Q': Push(_persistentLoad(Tuple(Pop(), "a persistent id"))); break; // BINPERSID
                default:
                    throw new InvalidDataException($"{_source} is refused: pickle opcode 0x{op:x2} at byte {at} is not one a " +
                        "weights file needs (only tensors and plain data are read, and nothing from the file is run).");
            }
        }
    }

    /// <summary>Admits a global only from the allow-list; anything else stops the load at once.</summary>
    private Global Resolve(string module, string name)
    {
        bool allowed = (module, name) switch
        {
            ("collections", "OrderedDict") => true,
            ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_parameter") => true,
            ("torch", _) => StorageTypes.Contains(name),
            _ => false,
        };
        if (!allowed)
            throw new InvalidDataException($"{_source} is refused: its pickle references {module}.{name}, which is not tensor data. " +
                "A weights file may hold only tensors and plain data (a state_dict); nothing from it is run. " +
                "In PyTorch, save weights with torch.save(model.state_dict(), path).");
        return new Global(module, name);
    }

    private object Reduce(object? callable, object? args)
    {
        if (callable is not Global global)
            throw Malformed("REDUCE of something that is not a global");
        var a = Tuple(args, $"the arguments of {global.FullName}");
        switch (global.FullName)
        {
            case "collections.OrderedDict":
                var dict = new PickleDict();
                if (a.Length > 0 && a[0] is List<object?> pairs)
                    foreach (var pair in pairs)
                    {
                        var kv = Tuple(pair, "an OrderedDict item");
                        if (kv.Length != 2)
                            throw Malformed("an OrderedDict item is not a pair");
                        dict.Set(kv[0], kv[1], this);
                    }

                return dict;
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                if (a.Length < 4)
                    throw Malformed($"{global.FullName} has {a.Length} arguments, not at least 4");
                return new TensorView(a[0] ?? throw Malformed("a tensor without storage"),
                    Integer(a[1], "storage offset"), Integers(a[2], "size"), Integers(a[3], "stride"));
            case "torch._utils._rebuild_parameter":
                if (a.Length < 1 || a[0] is not TensorView view)
                    throw Malformed("_rebuild_parameter without a tensor");
                return view;
            default:
                throw new InvalidDataException($"{_source} is refused: its pickle calls {global.FullName}, which only names a storage type.");
        }
    }

    private PickleDict ToDict(List<object?> items)
    {
        var dict = new PickleDict();
        for (int i = 0; i + 1 < items.Count; i += 2)
            dict.Set(items[i], items[i + 1], this);
        return dict;
    }

    internal InvalidDataException Malformed(string what) =>
        new($"{_source} is not a valid PyTorch weights pickle: {what} (at byte {_position}).");

    private long Integer(object? value, string what) => value is long l ? l : throw Malformed($"the {what} is not an integer");

    private long[] Integers(object? value, string what) => Tuple(value, $"the {what}").Select(v => Integer(v, what)).ToArray();

    private object?[] Tuple(object? value, string what) => value as object?[] ?? throw Malformed($"{what} is not a tuple");

    private List<object?> List(object? value) => value as List<object?> ?? throw Malformed("APPEND to something that is not a list");

    private PickleDict Dict(object? value) => value as PickleDict ?? throw Malformed("SETITEM on something that is not a dict");

    private string Text(object? value, string what) => value as string ?? throw Malformed($"the global's {what} is not a string");

    private object? Memo(long key) => _memo.TryGetValue(key, out var v) ? v : throw Malformed($"memo entry {key} is read before it is written");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek()
    {
        if (_stack.Count == 0 || ReferenceEquals(_stack[^1], Mark))
            throw Malformed("an opcode reads an empty stack");
        return _stack[^1];
    }

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
            throw Malformed("no MARK to pop to");
        int mark = _marks.Pop();
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private byte Byte() => Bytes(1)[0];

    private ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > _data.Length - _position)
            throw new InvalidDataException($"{_source} is truncated: the pickle ends at byte {_data.Length} before its STOP opcode.");
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private int Length(ulong length) =>
        length > (ulong)(_data.Length - _position)
            ? throw new InvalidDataException($"{_source} is truncated: a value of {length} bytes runs past the pickle's end.")
            : (int)length;

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
            throw new InvalidDataException($"{_source} is truncated: the pickle ends inside a text argument.");
        string line = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    private object Long(int length)
    {
        if (length == 0)
            return 0L;
        if (length > 8)
            throw Malformed($"an integer of {length} bytes");
        var bytes = Bytes(length);
        long value = 0;
        for (int i = length - 1; i >= 0; i--)
            value = (value << 8) | bytes[i];
        int unused = 64 - 8 * length;
        return unused == 0 ? value : (value << unused) >> unused; // sign-extend the two's complement
    }

    private long TextInt(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v : throw Malformed($"'{text}' is not an integer");

    private double TextFloat(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
            ? v : throw Malformed($"'{text}' is not a number");

    private string Utf8(int length)
    {
        var bytes = Bytes(length);
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("a string is not valid UTF-8");
        }
    }

    private string Latin1(int length) => Encoding.Latin1.GetString(Bytes(length));
}
