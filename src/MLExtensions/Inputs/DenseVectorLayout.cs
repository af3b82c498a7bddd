using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using static TorchSharp.torch;

namespace MLExtensions.Inputs;

/// <summary>A known-size vector of Single per row: tabular features or image pixels.</summary>
internal sealed class DenseVectorLayout : InputLayout
{
    public DenseVectorLayout(int size) => Size = size;

    public int Size { get; }

    public override string Description => Size.ToString(CultureInfo.InvariantCulture) + " features";

    public override void Check(DataViewSchema schema, string column, string role)
    {
        int size = ColumnChecks.FeatureSize(schema, column);
        if (size != Size)
            throw new ArgumentOutOfRangeException(column,
                $"Feature column '{column}' of the {role} data has {size} values per row, but the model was trained on {Size}.");
    }

    public override IColumnBuffer CreateBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role, long? rowCount) =>
        new Buffer(cursor.GetGetter<VBuffer<float>>(column), Size, column.Name, role, rowCount);

    public override long RowBytes(int steps) => sizeof(float) * (long)Size;

    public override string WriteRowInput(OnnxGraph g, string name)
    {
        g.AddInput(name, OnnxTensorType.Float, Size);
        return g.AddNode("Reshape", [name, g.AddInitializer(g.UniqueName("row_shape"), new long[] { 1, Size }, 2)], g.UniqueName("row"));
    }

    public override string WriteBatchInput(OnnxGraph g, string name)
    {
        g.AddInput(name, OnnxTensorType.Float, -1, Size);
        return name;
    }

    public const string Kind = "vector";

    public override void WriteMetadata(ModelMetadata m)
    {
        m["input"] = Kind;
        m.Set("feature_size", Size);
    }

    public static new InputLayout Restore(ModelMetadata m) => new DenseVectorLayout(m.GetInt("feature_size"));

    private sealed class Buffer(ValueGetter<VBuffer<float>> getter, int size, string column, string role, long? rowCount) : IColumnBuffer
    {
        // With a known row count the rows go straight into the tensor's memory. Otherwise into an array that doubles when
        // full, which becomes the tensor's memory at the end.
        private readonly NativeRows? _native = rowCount is long n && n > 0 && size > 0 ? new NativeRows(n, size) : null;
        private float[] _values = [];
        private VBuffer<float> _row;
        private long _rows;

        public void Add(long row)
        {
            Span<float> span;
            if (_native is not null)
            {
                if (_rows == _native.Capacity)
                    throw new InvalidOperationException($"The {role} data has more rows than it said it had ({_native.Capacity}).");
                span = _native.Row(_rows);
            }
            else
            {
                if ((_rows + 1) * size > _values.Length)
                    Array.Resize(ref _values, checked((int)Math.Min(Array.MaxLength, Math.Max(1024L * Math.Max(1, size), 2L * _values.Length))));
                span = _values.AsSpan(checked((int)(_rows * size)), size);
            }
            getter(ref _row);
            if (_row.Length != size)
                throw new InvalidDataException($"Feature column '{column}' of the {role} data has {_row.Length} values at row {row}, but {size} were expected.");
            _row.CopyTo(span);
            int bad = Finite.FirstNonFinite(span);
            if (bad >= 0)
                throw new InvalidDataException(
                    $"Feature column '{column}' of the {role} data has a non-finite value ({span[bad]}) at row {row}, slot {bad}. " +
                    "Remove or impute missing values (for example mlContext.Transforms.ReplaceMissingValues) before training.");
            _rows++;
        }

        public Tensor ToTensor()
        {
            if (_native is not null)
                return _native.Take(_rows);
            int count = checked((int)(_rows * size));
            var values = count == _values.Length ? _values : _values.AsSpan(0, count).ToArray();
            _values = [];
            // The array becomes the tensor's memory (pinned while the tensor lives): no second copy.
            using var flat = from_array(values);
            return flat.view(_rows, size);
        }
    }
}
