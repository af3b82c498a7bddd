using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using static TorchSharp.torch;

namespace MLExtensions.Inputs;

/// <summary>
/// A vector of Single per row read as consecutive steps of <see cref="StepSize"/> values (a sliding window of a
/// time series, per-frame features), fixed or variable length. Shorter rows are padded with NaN, which the network
/// reads as "no step" (real values are checked to be finite).
/// </summary>
internal sealed class DenseSequenceLayout(int stepSize, int maxLength, bool truncate, int knownSize = 0)
    : SequenceLayout(maxLength, truncate, knownSize)
{
    public const string Kind = "steps";

    public int StepSize { get; } = stepSize;

    public override int ValuesPerStep => StepSize;

    protected override int ValueBytes => sizeof(float);

    public override string Description => $"sequences of {StepSize}-value steps";

    public override void Check(DataViewSchema schema, string column, string role)
    {
        var c = ColumnChecks.Find(schema, column, "feature");
        if (c.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(column,
                $"Feature column '{column}' of the {role} data must be a vector of Single (steps) or of keys (tokens), but it is {c.Type}.");
        if (vector.IsKnownSize && vector.Size % StepSize != 0)
            throw new ArgumentOutOfRangeException(column,
                $"Feature column '{column}' has {vector.Size} values per row, which is not a whole number of steps of StepSize = {StepSize}.");
    }

    public override IColumnBuffer CreateBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role, long? rowCount) =>
        new Buffer(this, cursor.GetGetter<VBuffer<float>>(column), column.Name, role);

    public override string WriteRowInput(OnnxGraph g, string name)
    {
        // OnnxTransformer feeds one row as [1, T·S] (a leading symbolic dim becomes 1, a later one the vector's length).
        g.AddInput(name, OnnxTensorType.Float, -1, KnownSize > 0 ? KnownSize : -1);
        return TruncateOnnx(g, name);
    }

    public override string WriteBatchInput(OnnxGraph g, string name)
    {
        g.AddInput(name, OnnxTensorType.Float, -1, -1);
        return name;
    }

    public override void WriteMetadata(ModelMetadata m)
    {
        m["input"] = Kind;
        m.Set("step_size", StepSize);
        m["padding"] = "NaN marks missing steps at the end of shorter rows";
        WriteLengthMetadata(m);
    }

    public static new InputLayout Restore(ModelMetadata m) =>
        new DenseSequenceLayout(m.GetInt("step_size"), m.GetInt("max_sequence_length"), m.GetBool("truncate"), m.GetInt("known_size"));

    private sealed class Buffer(DenseSequenceLayout layout, ValueGetter<VBuffer<float>> getter, string column, string role) : ISequenceBuffer
    {
        private readonly List<float[]> _rows = new();
        private VBuffer<float> _row;

        public int LastSourceLength { get; private set; }

        public int LastLength { get; private set; }

        public void Add(long row)
        {
            getter(ref _row);
            int s = layout.StepSize;
            if (_row.Length % s != 0)
                throw new InvalidDataException($"Feature column '{column}' of the {role} data has {_row.Length} values at row {row}, not a whole number of steps of StepSize = {s}.");
            int steps = SequenceLayouts.KeptLength(_row.Length / s, layout.MaxLength, layout.Truncate, "step", column, role, row);
            var all = new float[_row.Length];
            _row.CopyTo(all);
            var values = all.AsSpan(0, steps * s).ToArray();
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i]))
                    throw new InvalidDataException($"Feature column '{column}' of the {role} data has a non-finite value ({values[i]}) at row {row}, slot {i}.");
            _rows.Add(values);
            LastSourceLength = _row.Length / s;
            LastLength = steps;
        }

        public Tensor ToTensor()
        {
            var (values, longest) = SequenceLayouts.Pad(_rows, float.NaN);
            using var flat = from_array(values); // the padded array becomes the tensor's memory: no second copy
            return flat.view(_rows.Count, longest);
        }
    }
}
