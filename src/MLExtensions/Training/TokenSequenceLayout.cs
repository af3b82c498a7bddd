using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// A vector of keys per row (for example <c>TokenizeIntoCharactersAsKeys</c>, or <c>TokenizeIntoWords</c> →
/// <c>MapValueToKey</c>), fixed or variable length. Rows become int64 token indices padded with 0: key k becomes
/// index k, a missing key (0) becomes the "unknown" index <see cref="VocabularySize"/> + 1.
/// </summary>
internal sealed class TokenSequenceLayout : FeatureLayout
{
    public const string TokenColumn = "MLExtensionsTokens";

    public TokenSequenceLayout(int vocabularySize, int maxLength, bool truncate)
    {
        VocabularySize = vocabularySize;
        MaxLength = maxLength;
        Truncate = truncate;
    }

    public int VocabularySize { get; }

    /// <summary>Indices run from 0 (padding) to <see cref="VocabularySize"/> + 1 (unknown).</summary>
    public int IndexCount => VocabularySize + 2;

    public int MaxLength { get; }

    public bool Truncate { get; }

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

    public override IFeatureBuffer CreateBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new Buffer(this, cursor.GetGetter<VBuffer<uint>>(column), column.Name, role);

    public override OnnxInputPlan PrepareOnnxInput(MLContext ml, string featureColumn) =>
        new(ml.Transforms.Conversion.ConvertType(TokenColumn, featureColumn, DataKind.Int64), TokenColumn, [TokenColumn]);

    public override string DeclareRowInput(OnnxGraph g, string name)
    {
        // One row of raw key values (1-based, 0 = missing): missing → unknown index, then a batch of one.
        g.AddInput(name, OnnxTensorType.Int64, -1);
        var zero = g.AddInitializer(g.UniqueName("zero"), new long[] { 0 });
        var unknown = g.AddInitializer(g.UniqueName("unknown"), new long[] { VocabularySize + 1 });
        var missing = g.AddNode("Equal", [name, zero], g.UniqueName("missing"));
        var tokens = g.AddNode("Where", [missing, unknown, name], g.UniqueName("tokens"));
        if (MaxLength > 0 && Truncate)
            tokens = g.AddNode("Slice", [tokens, g.AddInitializer(g.UniqueName("start"), new long[] { 0 }, 1), g.AddInitializer(g.UniqueName("end"), new long[] { MaxLength }, 1)], g.UniqueName("truncated"));
        return g.AddNode("Unsqueeze", [tokens, g.AddInitializer(g.UniqueName("axis0"), new long[] { 0 }, 1)], g.UniqueName("token_batch"));
    }

    public override string DeclareBatchInput(OnnxGraph g, string name)
    {
        g.AddInput(name, OnnxTensorType.Int64, -1, -1);
        return name;
    }

    public override IEnumerable<KeyValuePair<string, string>> Metadata =>
    [
        new("mlextensions.input", "tokens"),
        new("mlextensions.vocabulary_size", VocabularySize.ToString(CultureInfo.InvariantCulture)),
        new("mlextensions.token_encoding", "0 = padding, key k = k, unknown = vocabulary_size + 1"),
    ];

    private sealed class Buffer(TokenSequenceLayout layout, ValueGetter<VBuffer<uint>> getter, string column, string role) : IFeatureBuffer
    {
        private readonly List<long[]> _rows = new();
        private VBuffer<uint> _row;

        public void Add(long row)
        {
            getter(ref _row);
            int length = _row.Length;
            if (length == 0)
                throw new InvalidDataException($"Feature column '{column}' of the {role} data has an empty sequence at row {row}; every sequence needs at least one token.");
            if (layout.MaxLength > 0 && length > layout.MaxLength)
            {
                if (!layout.Truncate)
                    throw new InvalidDataException(
                        $"Feature column '{column}' of the {role} data has a sequence of {length} tokens at row {row}, longer than MaxSequenceLength = {layout.MaxLength}. " +
                        "Set TruncateLongSequences = true to keep the first MaxSequenceLength tokens.");
                length = layout.MaxLength;
            }
            var tokens = new long[length];
            int i = 0;
            foreach (uint key in _row.DenseValues())
            {
                if (i == length)
                    break;
                tokens[i++] = key == 0 ? layout.VocabularySize + 1 : key;
            }
            _rows.Add(tokens);
        }

        public Tensor ToTensor()
        {
            int longest = _rows.Max(r => r.Length);
            var values = new long[(long)_rows.Count * longest];
            for (int r = 0; r < _rows.Count; r++)
                _rows[r].CopyTo(values, (long)r * longest);
            return tensor(values, new long[] { _rows.Count, longest });
        }
    }
}
