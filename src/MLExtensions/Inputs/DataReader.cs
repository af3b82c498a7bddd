using Microsoft.ML;
using MLExtensions.Tasks;
using MLExtensions.Training;

namespace MLExtensions.Inputs;

/// <summary>Reads the feature column (through its <see cref="InputLayout"/>) and the label column (through the task head) of an <see cref="IDataView"/> into tensors, checking every value.</summary>
internal static class DataReader
{
    public static TensorDataset Read(IDataView data, string featureColumn, InputLayout layout, string labelColumn, TaskHead task, string role)
    {
        var schema = data.Schema;
        layout.Check(schema, featureColumn, role);
        var label = ColumnChecks.Find(schema, labelColumn, "label");
        task.CheckCompatible(label, role);
        var features = schema[featureColumn];

        long rows = 0;
        IColumnBuffer featureBuffer, labelBuffer;
        using (var cursor = data.GetRowCursor(new[] { features, label }))
        {
            featureBuffer = layout.CreateBuffer(cursor, features, role, data.GetRowCount());
            labelBuffer = task.CreateLabelBuffer(cursor, label, role);
            var sequences = featureBuffer as ISequenceBuffer;
            var stepLabels = labelBuffer as IStepLabelBuffer;
            if (stepLabels is not null && sequences is null)
                throw new ArgumentOutOfRangeException(featureColumn,
                    $"Per-step labels need a sequence feature column (a vector of keys or of Single steps); '{featureColumn}' is read as {layout.Description}.");
            while (cursor.MoveNext())
            {
                featureBuffer.Add(rows);
                if (stepLabels is not null)
                    stepLabels.Add(rows, sequences!.LastSourceLength, sequences.LastLength);
                else
                    labelBuffer.Add(rows);
                rows++;
            }
        }

        if (rows == 0)
            throw new InvalidOperationException($"The {role} data has no rows.");
        return new TensorDataset(featureBuffer.ToTensor(), labelBuffer.ToTensor());
    }
}
