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

    public static InputLayout Restore(ModelMetadata m) => new DenseVectorLayout(m.GetInt("feature_size"));

    private sealed class Buffer(ValueGetter<VBuffer<float>> getter, int size, string column, string role, long? rowCount) : IColumnBuffer
    {
        // With a known row count the array has its final size from the start: no regrowth and no trimming copy.
        private float[] _values = new float[rowCount is long n && n > 0 && n * size <= Array.MaxLength ? n * Math.Max(1, size) : Math.Max(1, size) * 1024L];
        private VBuffer<float> _row;
        private long _rows;

        public void Add(long row)
        {
            if ((_rows + 1) * size > _values.Length)
                Array.Resize(ref _values, checked((int)Math.Min(Array.MaxLength, 2L * _values.Length)));
            getter(ref _row);
            var span = _values.AsSpan(checked((int)(_rows * size)), size);
            _row.CopyTo(span);
            for (int i = 0; i < span.Length; i++)
                if (!float.IsFinite(span[i]))
                    throw new InvalidDataException(
                        $"Feature column '{column}' of the {role} data has a non-finite value ({span[i]}) at row {row}, slot {i}. " +
                        "Remove or impute missing values (for example mlContext.Transforms.ReplaceMissingValues) before training.");
            _rows++;
        }

        public Tensor ToTensor()
        {
            int count = checked((int)(_rows * size));
            var values = count == _values.Length ? _values : _values.AsSpan(0, count).ToArray();
            _values = [];
            return tensor(values, new long[] { _rows, size });
        }
    }
}
