using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Inputs;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>Reads a <see cref="float"/> (regression) or <see cref="bool"/> (binary) label into an [N, 1] float tensor.</summary>
internal sealed class ScalarLabelBuffer : IColumnBuffer
{
    private readonly ValueGetter<float>? _getFloat;
    private readonly ValueGetter<bool>? _getBool;
    private readonly string _column, _role;
    private float[] _values = new float[1024];
    private long _rows;

    public ScalarLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role)
    {
        _column = column.Name;
        _role = role;
        if (column.Type == BooleanDataViewType.Instance)
            _getBool = cursor.GetGetter<bool>(column);
        else
            _getFloat = cursor.GetGetter<float>(column);
    }

    public void Add(long row)
    {
        if (_rows == _values.Length)
            Array.Resize(ref _values, _values.Length * 2);
        if (_getBool is not null)
        {
            bool b = false;
            _getBool(ref b);
            _values[_rows++] = b ? 1f : 0f;
            return;
        }
        float f = 0;
        _getFloat!(ref f);
        if (!float.IsFinite(f))
            throw new InvalidDataException($"Label column '{_column}' of the {_role} data has a non-finite value ({f}) at row {row}.");
        _values[_rows++] = f;
    }

    public Tensor ToTensor() => tensor(_values.AsSpan(0, (int)_rows).ToArray(), new long[] { _rows, 1 });
}
