using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLExtensions.Inputs;

namespace MLExtensions.Scoring;

/// <summary>
/// Reads the feature column of successive rows into one batched input of the standalone ONNX model, as the input
/// layout defines it: [N, size] floats; [N, T] int64 tokens (0 = padding, key k = k, a missing key = vocabulary + 1);
/// or [N, T·S] floats with NaN after a row's last step. Sequences are padded to the batch's longest row and cut to
/// <c>MaxSequenceLength</c> when the model was trained with <c>TruncateLongSequences</c>, as the one-row model does.
/// </summary>
internal abstract class FeatureBatch
{
    /// <summary>Rows in the batch read last.</summary>
    public int Count { get; private set; }

    /// <summary>Steps of each row of the batch read last (sequences; unused for vectors).</summary>
    public int[] Lengths { get; private set; } = [];

    /// <summary>The batch's width in steps: its longest row (sequences).</summary>
    public int Steps { get; private set; }

    /// <summary>Reads up to <paramref name="rows"/> rows from the cursor; returns how many there were.</summary>
    public int Read(DataViewRowCursor cursor, int rows)
    {
        if (Lengths.Length < rows)
            Lengths = new int[rows];
        int count = 0, steps = 0;
        while (count < rows && cursor.MoveNext())
        {
            Lengths[count] = ReadRow(count);
            steps = Math.Max(steps, Lengths[count]);
            count++;
        }
        Count = count;
        Steps = Math.Max(1, steps);
        if (count > 0)
            Pack();
        return count;
    }

    /// <summary>Reads the cursor's current row as row <paramref name="index"/> of the batch; returns its steps.</summary>
    protected abstract int ReadRow(int index);

    /// <summary>Lays the rows read out as one padded block.</summary>
    protected abstract void Pack();

    /// <summary>The batch read last as an ONNX Runtime value (valid until the next read).</summary>
    public abstract OrtValue ToOrtValue();

    public static FeatureBatch For(InputLayout layout, DataViewRowCursor cursor, DataViewSchema.Column column) => layout switch
    {
        DenseVectorLayout dense => new DenseRows(cursor.GetGetter<VBuffer<float>>(column), dense.Size, column.Name),
        TokenSequenceLayout tokens => new TokenRows(KeyReader.For(cursor, column), tokens),
        DenseSequenceLayout steps => new StepRows(cursor.GetGetter<VBuffer<float>>(column), steps, column.Name),
        _ => throw new NotSupportedException($"Batched scoring does not know the input '{layout.Description}'."),
    };

    /// <summary>Steps of a sequence row of <paramref name="length"/> steps that the model reads.</summary>
    protected static int Kept(SequenceLayout layout, int length) =>
        layout.Truncate && layout.MaxLength > 0 ? Math.Min(length, layout.MaxLength) : length;

    private sealed class DenseRows(ValueGetter<VBuffer<float>> getter, int size, string column) : FeatureBatch
    {
        private float[] _values = [];
        private VBuffer<float> _row;

        protected override int ReadRow(int index)
        {
            if (_values.Length < (index + 1) * size)
                Array.Resize(ref _values, Math.Max(size * 64, 2 * (index + 1) * size));
            getter(ref _row);
            if (_row.Length != size)
                throw new InvalidDataException($"Feature column '{column}' has {_row.Length} values in a row, but the model reads {size}.");
            _row.CopyTo(_values.AsSpan(index * size, size));
            return 1;
        }

        protected override void Pack() { }

        public override OrtValue ToOrtValue() =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _values.AsMemory(0, Count * size), [Count, size]);
    }

    private sealed class TokenRows(Func<ulong[]> read, TokenSequenceLayout layout) : FeatureBatch
    {
        private readonly List<ulong[]> _rows = new();
        private long[] _values = [];

        protected override int ReadRow(int index)
        {
            var keys = read();
            if (index < _rows.Count)
                _rows[index] = keys;
            else
                _rows.Add(keys);
            return Kept(layout, keys.Length);
        }

        protected override void Pack()
        {
            int width = Steps;
            if (_values.Length < Count * width)
                _values = new long[Math.Max(Count * width, 2 * _values.Length)];
            Array.Clear(_values, 0, Count * width);
            long unknown = layout.VocabularySize + 1;
            for (int r = 0; r < Count; r++)
            {
                var keys = _rows[r];
                for (int t = 0; t < Lengths[r]; t++)
                    _values[r * width + t] = keys[t] == 0 ? unknown : (long)keys[t];
            }
        }

        public override OrtValue ToOrtValue() =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _values.AsMemory(0, Count * Steps), [Count, Steps]);
    }

    private sealed class StepRows(ValueGetter<VBuffer<float>> getter, DenseSequenceLayout layout, string column) : FeatureBatch
    {
        private readonly List<float[]> _rows = new();
        private float[] _values = [];
        private VBuffer<float> _row;

        protected override int ReadRow(int index)
        {
            getter(ref _row);
            int s = layout.StepSize;
            if (_row.Length % s != 0)
                throw new InvalidDataException($"A row of feature column '{column}' has {_row.Length} values, not a whole number of steps of StepSize = {s}.");
            int steps = Kept(layout, _row.Length / s);
            var dense = new float[_row.Length];
            _row.CopyTo(dense);
            var values = steps * s == dense.Length ? dense : dense.AsSpan(0, steps * s).ToArray();
            if (index < _rows.Count)
                _rows[index] = values;
            else
                _rows.Add(values);
            return steps;
        }

        protected override void Pack()
        {
            int width = Steps * layout.StepSize;
            if (_values.Length < Count * width)
                _values = new float[Math.Max(Count * width, 2 * _values.Length)];
            Array.Fill(_values, float.NaN, 0, Count * width);
            for (int r = 0; r < Count; r++)
                _rows[r].CopyTo(_values, r * width);
        }

        public override OrtValue ToOrtValue() =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _values.AsMemory(0, Count * Steps * layout.StepSize),
                [Count, Steps * layout.StepSize]);
    }
}
