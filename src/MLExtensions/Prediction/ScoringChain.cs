using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Training;

namespace MLExtensions.Prediction;

/// <summary>
/// Builds the fitted model out of saveable ML.NET pieces only: the ONNX network applied by OnnxTransformer, small
/// CustomMapping adapters, value/key mappings that carry the class names, and DropColumns for helper columns.
/// Such a chain saves to an ordinary ML.NET .zip and loads with <c>mlContext.Model.Load</c> without TorchSharp.
/// </summary>
internal static class ScoringChain
{
    public const string ClassNumberColumn = "MLExtensionsClassNumber";
    private const string PredictedValueColumn = "MLExtensionsPredictedValue";

    public static ITransformer Build(MLContext ml, IDataView trainingData, byte[] onnxModel, string featureColumn, LabelInfo label)
    {
        var outputs = label.Kind == PredictionKind.MulticlassClassification
            ? new[] { "Score", OnnxModelComposer.PredictedIndexColumn }
            : new[] { OnnxModelComposer.RawScoreColumn };
        var onnx = ml.Transforms.ApplyOnnxModel(outputs, new[] { featureColumn }, new MemoryStream(onnxModel));

        IEstimator<ITransformer> pipeline = label.Kind switch
        {
            PredictionKind.Regression => onnx
                .Append(ml.Transforms.CustomMapping(new RegressionScoreMapping().GetMapping(), RegressionScoreMapping.ContractName))
                .Append(ml.Transforms.DropColumns(OnnxModelComposer.RawScoreColumn)),
            PredictionKind.BinaryClassification => onnx
                .Append(ml.Transforms.CustomMapping(new BinaryScoreMapping().GetMapping(), BinaryScoreMapping.ContractName))
                .Append(ml.Transforms.DropColumns(OnnxModelComposer.RawScoreColumn)),
            _ => onnx
                .Append(ml.Transforms.CustomMapping(new ClassNumberMapping().GetMapping(), ClassNumberMapping.ContractName))
                .Append(PredictedLabelSteps(ml, label))
                .Append(ml.Transforms.DropColumns(OnnxModelComposer.PredictedIndexColumn, ClassNumberColumn, PredictedValueColumn)),
        };
        return pipeline.Fit(trainingData);
    }

    /// <summary>Class number → the training label's value → <c>PredictedLabel</c>, a key with the label's KeyValues in the same order.</summary>
    private static IEstimator<ITransformer> PredictedLabelSteps(MLContext ml, LabelInfo label)
    {
        var keyValuesType = label.Column.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType;
        if (keyValuesType is null)
            return Steps(ml, Enumerable.Range(1, label.ClassCount).Select(i => (uint)i).ToArray());

        var rawType = keyValuesType.ItemType.RawType;
        var method = typeof(ScoringChain).GetMethod(nameof(StepsFromKeyValues), BindingFlags.NonPublic | BindingFlags.Static)!;
        return (IEstimator<ITransformer>)method.MakeGenericMethod(rawType).Invoke(null, [ml, label])!;
    }

    private static IEstimator<ITransformer> StepsFromKeyValues<T>(MLContext ml, LabelInfo label)
    {
        var buffer = default(VBuffer<T>);
        label.Column.GetKeyValues(ref buffer);
        var values = buffer.DenseValues().ToArray();
        if (values.Length != label.ClassCount)
            throw new InvalidOperationException($"Label column '{label.Column.Name}' has {values.Length} key values for {label.ClassCount} classes.");
        if (values is ReadOnlyMemory<char>[] text)
            return Steps(ml, text.Select(v => v.ToString()).ToArray());
        return Steps(ml, values);
    }

    private static IEstimator<ITransformer> Steps<T>(MLContext ml, T[] classValues)
    {
        var pairs = classValues.Select((v, i) => new KeyValuePair<uint, T>((uint)(i + 1), v));
        var keyData = ml.Data.LoadFromEnumerable(classValues.Select(v => new KeyDataRow<T> { Value = v }));
        return ml.Transforms.Conversion.MapValue(PredictedValueColumn, pairs, ClassNumberColumn)
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", PredictedValueColumn, keyData: keyData));
    }

    private sealed class KeyDataRow<T>
    {
        public T Value { get; set; } = default!;
    }
}
