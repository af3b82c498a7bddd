using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using static TorchSharp.torch;

namespace MLExtensions.Inputs;

/// <summary>
/// A vector of keys per row (for example <c>TokenizeIntoCharactersAsKeys</c>, or <c>TokenizeIntoWords</c> →
/// <c>MapValueToKey</c>), fixed or variable length. Rows become int64 token indices padded with 0: key k becomes
/// index k, a missing key (0) becomes the "unknown" index <see cref="VocabularySize"/> + 1.
/// </summary>
internal sealed class TokenSequenceLayout(int vocabularySize, int maxLength, bool truncate, int knownSize = 0, Type? keyRawType = null)
    : SequenceLayout(maxLength, truncate, knownSize)
{
    public const string Kind = "tokens";

    public int VocabularySize { get; } = vocabularySize;

    /// <summary>The ONNX element type of the key column's raw values, which OnnxTransformer feeds as they are.</summary>
    public OnnxTensorType KeyType { get; } = (keyRawType ?? typeof(uint)) switch
    {
        var t when t == typeof(byte) => OnnxTensorType.UInt8,
        var t when t == typeof(ushort) => OnnxTensorType.UInt16,
        var t when t == typeof(ulong) => OnnxTensorType.UInt64,
        _ => OnnxTensorType.UInt32,
    };

    /// <summary>Indices run from 0 (padding) to <see cref="VocabularySize"/> + 1 (unknown).</summary>
    public int IndexCount => VocabularySize + 2;

    public override int ValuesPerStep => 1;

    protected override int ValueBytes => sizeof(long);

    public override string Description => $"token sequences (vocabulary {VocabularySize})";

    /// <summary>The vocabulary size of a key-vector column, or null when the column is not one.</summary>
    public static int? VocabularyOf(DataViewSchema.Column column) =>
        column.Type is VectorDataViewType { ItemType: KeyDataViewType key } && key.Count is > 0 and < int.MaxValue - 2 ? (int)key.Count : null;

    public override void Check(DataViewSchema schema, string column, string role)
    {
        var c = ColumnChecks.Find(schema, column, "feature");
        if (VocabularyOf(c) is not int vocabulary)
            throw new ArgumentOutOfRangeException(column,
                $"Feature column '{column}' of the {role} data must be a vector of keys (tokens) or of Single (steps), but it is {c.Type}.");
        if (vocabulary != VocabularySize)
            throw new ArgumentOutOfRangeException(column,
                $"Feature column '{column}' of the {role} data has a vocabulary of {vocabulary} keys, but the model was trained with {VocabularySize}; use the same MapValueToKey transformer.");
    }

    public override IColumnBuffer CreateBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role, long? rowCount) =>
        new Buffer(this, KeyReader.For(cursor, column), column.Name, role);

    public override string WriteRowInput(OnnxGraph g, string name)
    {
        // OnnxTransformer feeds one row as [1, T] (a leading symbolic dim becomes 1, a later one the vector's length), in
        // the key's own integer type, 1-based with 0 = missing: to int64, missing → the unknown index.
        g.AddInput(name, KeyType, -1, KnownSize > 0 ? KnownSize : -1);
        var keys = g.AddNode("Cast", [name], g.UniqueName("keys"), OnnxAttribute.Int("to", (long)OnnxTensorType.Int64));
        var missing = g.AddNode("Equal", [keys, g.AddInitializer(g.UniqueName("zero"), new long[] { 0 })], g.UniqueName("missing"));
        var tokens = g.AddNode("Where", [missing, g.AddInitializer(g.UniqueName("unknown"), new long[] { VocabularySize + 1 }), keys], g.UniqueName("tokens"));
        return TruncateOnnx(g, tokens);
    }

    public override string WriteBatchInput(OnnxGraph g, string name)
    {
        g.AddInput(name, OnnxTensorType.Int64, -1, -1);
        return name;
    }

    public override void WriteMetadata(ModelMetadata m)
    {
        m["input"] = Kind;
        m.Set("vocabulary_size", VocabularySize);
        m["key_type"] = KeyType.ToString();
        m["token_encoding"] = "0 = padding, key k = k, unknown = vocabulary_size + 1";
        WriteLengthMetadata(m);
    }

    public static new InputLayout Restore(ModelMetadata m) =>
        new TokenSequenceLayout(m.GetInt("vocabulary_size"), m.GetInt("max_sequence_length"), m.GetBool("truncate"), m.GetInt("known_size"),
            Enum.Parse<OnnxTensorType>(m["key_type"]) switch
            {
                OnnxTensorType.UInt8 => typeof(byte),
                OnnxTensorType.UInt16 => typeof(ushort),
                OnnxTensorType.UInt64 => typeof(ulong),
                _ => typeof(uint),
            });

    private sealed class Buffer(TokenSequenceLayout layout, Func<ulong[]> read, string column, string role) : ISequenceBuffer
    {
        private readonly List<long[]> _rows = new();

        public int LastSourceLength { get; private set; }

        public int LastLength { get; private set; }

        public void Add(long row)
        {
            var keys = read();
            int length = SequenceLayouts.KeptLength(keys.Length, layout.MaxLength, layout.Truncate, "token", column, role, row);
            var tokens = new long[length];
            for (int i = 0; i < length; i++)
                tokens[i] = keys[i] == 0 ? layout.VocabularySize + 1 : (long)keys[i];
            _rows.Add(tokens);
            LastSourceLength = keys.Length;
            LastLength = length;
        }

        public Tensor ToTensor()
        {
            var (values, longest) = SequenceLayouts.Pad(_rows, 0L);
            using var flat = from_array(values); // the padded array becomes the tensor's memory: no second copy
            return flat.view(_rows.Count, longest);
        }
    }
}

/// <summary>Reads a vector of keys of any width (byte, ushort, uint, ulong) as 64-bit key values.</summary>
internal static class KeyReader
{
    public static Func<ulong[]> For(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        Func<ulong[]> Make<T>(Func<T, ulong> widen)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return () =>
            {
                getter(ref buffer);
                return buffer.DenseValues().Select(widen).ToArray();
            };
        }
        var raw = ((KeyDataViewType)((VectorDataViewType)column.Type).ItemType).RawType;
        if (raw == typeof(byte)) return Make<byte>(v => v);
        if (raw == typeof(ushort)) return Make<ushort>(v => v);
        if (raw == typeof(uint)) return Make<uint>(v => v);
        return Make<ulong>(v => v);
    }
}
