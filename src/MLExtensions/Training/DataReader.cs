using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>Reads the feature column (through its <see cref="FeatureLayout"/>) and the label column of an <see cref="IDataView"/> into tensors, checking every value.</summary>
internal static class DataReader
{
    public static TensorDataset Read(IDataView data, string featureColumn, FeatureLayout layout, LabelInfo label, string role)
    {
        var schema = data.Schema;
        layout.Check(schema, featureColumn, role);
        var labelColumn = LabelInfo.FromSchema(schema, label.Column.Name, label.Kind).Column;
        var features = schema[featureColumn];

        long rows = 0;
        IFeatureBuffer buffer;
        LabelBuffer labels;
        using (var cursor = data.GetRowCursor(new[] { features, labelColumn }))
        {
            buffer = layout.CreateBuffer(cursor, features, role, data.GetRowCount());
            labels = new LabelBuffer(cursor, labelColumn, label, role);
            while (cursor.MoveNext())
            {
                buffer.Add(rows);
                labels.Add(rows);
                rows++;
            }
        }

        if (rows == 0)
            throw new InvalidOperationException($"The {role} data has no rows.");
        return new TensorDataset(buffer.ToTensor(), labels.ToTensor());
    }

    /// <summary>Regression values and binary labels as [N, 1] floats; classes as [N] int64 indices.</summary>
    private sealed class LabelBuffer
    {
        private readonly LabelInfo _label;
        private readonly string _column, _role;
        private readonly ValueGetter<float>? _getFloat;
        private readonly ValueGetter<bool>? _getBool;
        private readonly ValueGetter<uint>? _getKey;
        private float[] _values = new float[1024];
        private long[] _classes = new long[1024];
        private long _rows;

        public LabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, LabelInfo label, string role)
        {
            _label = label;
            _column = column.Name;
            _role = role;
            switch (label.Kind)
            {
                case PredictionKind.Regression: _getFloat = cursor.GetGetter<float>(column); break;
                case PredictionKind.BinaryClassification: _getBool = cursor.GetGetter<bool>(column); break;
                default: _getKey = cursor.GetGetter<uint>(column); break;
            }
        }

        public void Add(long row)
        {
            if (_rows == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
                Array.Resize(ref _classes, _classes.Length * 2);
            }
            switch (_label.Kind)
            {
                case PredictionKind.Regression:
                    float f = 0;
                    _getFloat!(ref f);
                    if (!float.IsFinite(f))
                        throw new InvalidDataException($"Label column '{_column}' of the {_role} data has a non-finite value ({f}) at row {row}.");
                    _values[_rows] = f;
                    break;
                case PredictionKind.BinaryClassification:
                    bool b = false;
                    _getBool!(ref b);
                    _values[_rows] = b ? 1f : 0f;
                    break;
                default:
                    uint k = 0;
                    _getKey!(ref k);
                    if (k == 0 || k > _label.ClassCount)
                        throw new InvalidDataException(
                            $"Label column '{_column}' of the {_role} data has a missing or out-of-range key at row {row} " +
                            $"(expected a class from 1 to {_label.ClassCount}; 0 means the value was not in the key's dictionary).");
                    _classes[_rows] = k - 1;
                    break;
            }
            _rows++;
        }

        public Tensor ToTensor() => _label.Kind == PredictionKind.MulticlassClassification
            ? tensor(_classes.AsSpan(0, (int)_rows).ToArray(), new long[] { _rows })
            : tensor(_values.AsSpan(0, (int)_rows).ToArray(), new long[] { _rows, 1 });
    }
}
