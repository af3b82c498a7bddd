using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>Reads a feature vector column and a label column of an <see cref="IDataView"/> into tensors, checking every value.</summary>
internal static class TabularReader
{
    public static TensorDataset Read(IDataView data, string featureColumn, LabelInfo label, int featureSize, string role)
    {
        var schema = data.Schema;
        var features = schema[featureColumn];
        var labelColumn = schema[label.Column.Name];
        if (ColumnChecks.FeatureSize(schema, featureColumn) != featureSize)
            throw new ArgumentOutOfRangeException(featureColumn,
                $"Feature column '{featureColumn}' of the {role} data has {((VectorDataViewType)features.Type).Size} values per row, but the training data has {featureSize}.");
        LabelInfo.FromSchema(schema, labelColumn.Name, label.Kind);

        var x = new float[Math.Max(1, featureSize) * 1024];
        var yFloat = label.Kind == PredictionKind.MulticlassClassification ? null : new float[1024];
        var yClass = label.Kind == PredictionKind.MulticlassClassification ? new long[1024] : null;
        long rows = 0;

        using (var cursor = data.GetRowCursor(new[] { features, labelColumn }))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            ValueGetter<float>? getFloat = null;
            ValueGetter<bool>? getBool = null;
            ValueGetter<uint>? getKey = null;
            switch (label.Kind)
            {
                case PredictionKind.Regression: getFloat = cursor.GetGetter<float>(labelColumn); break;
                case PredictionKind.BinaryClassification: getBool = cursor.GetGetter<bool>(labelColumn); break;
                default: getKey = cursor.GetGetter<uint>(labelColumn); break;
            }

            var buffer = default(VBuffer<float>);
            float f = 0;
            bool b = false;
            uint k = 0;
            while (cursor.MoveNext())
            {
                if ((rows + 1) * featureSize > x.Length)
                    Array.Resize(ref x, checked((int)Math.Min(Array.MaxLength, 2L * x.Length)));
                if (yFloat is not null && rows == yFloat.Length)
                    Array.Resize(ref yFloat, yFloat.Length * 2);
                if (yClass is not null && rows == yClass.Length)
                    Array.Resize(ref yClass, yClass.Length * 2);

                getFeatures(ref buffer);
                var row = x.AsSpan(checked((int)(rows * featureSize)), featureSize);
                buffer.CopyTo(row);
                for (int i = 0; i < row.Length; i++)
                    if (!float.IsFinite(row[i]))
                        throw new InvalidDataException(
                            $"Feature column '{featureColumn}' of the {role} data has a non-finite value ({row[i]}) at row {rows}, slot {i}. " +
                            "Remove or impute missing values (for example mlContext.Transforms.ReplaceMissingValues) before training.");

                switch (label.Kind)
                {
                    case PredictionKind.Regression:
                        getFloat!(ref f);
                        if (!float.IsFinite(f))
                            throw new InvalidDataException($"Label column '{labelColumn.Name}' of the {role} data has a non-finite value ({f}) at row {rows}.");
                        yFloat![rows] = f;
                        break;
                    case PredictionKind.BinaryClassification:
                        getBool!(ref b);
                        yFloat![rows] = b ? 1f : 0f;
                        break;
                    default:
                        getKey!(ref k);
                        if (k == 0 || k > label.ClassCount)
                            throw new InvalidDataException(
                                $"Label column '{labelColumn.Name}' of the {role} data has a missing or out-of-range key at row {rows} " +
                                $"(expected a class from 1 to {label.ClassCount}; 0 means the value was not in the key's dictionary).");
                        yClass![rows] = k - 1;
                        break;
                }
                rows++;
            }
        }

        if (rows == 0)
            throw new InvalidOperationException($"The {role} data has no rows.");

        var inputs = tensor(x.AsSpan(0, checked((int)(rows * featureSize))).ToArray(), new long[] { rows, featureSize });
        var targets = yClass is not null
            ? tensor(yClass.AsSpan(0, (int)rows).ToArray(), new long[] { rows })
            : tensor(yFloat!.AsSpan(0, (int)rows).ToArray(), new long[] { rows, 1 });
        return new TensorDataset(inputs, targets);
    }
}
