using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLExtensions.Inputs;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>
/// Multiclass classification: a key label with K classes, K outputs (logits), cross-entropy, metric accuracy;
/// <c>Score</c> holds the softmax probabilities (slot i = key i + 1, slot names = class names) and
/// <c>PredictedLabel</c> is a key with the training label's values, so <c>MapKeyToValue</c> gives the class back.
/// </summary>
internal sealed class MulticlassClassificationHead : TaskHead
{
    public const string TaskName = "MulticlassClassification";

    private readonly KeyClasses _classes;

    public MulticlassClassificationHead() : this(KeyClasses.Unbound) { }

    private MulticlassClassificationHead(KeyClasses classes) => _classes = classes;

    public override string Name => TaskName;

    public override int OutputSize => _classes.OutputSize;

    public override string MetricName => "Accuracy";

    /// <summary>The class names (the label key's values as text, in key order), or null when the key has none.</summary>
    public IReadOnlyList<string>? ClassNames => _classes.Names;

    public override void CheckLabelShape(SchemaShape.Column label, string columnName)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || !label.IsKey)
            throw new ArgumentOutOfRangeException(columnName,
                $"Label column '{columnName}' must be a key type for multiclass classification (use MapValueToKey).");
    }

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
    [
        MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false),
        MlNetInternals.SchemaColumn("PredictedLabel", SchemaShape.Column.VectorKind.Scalar, label.ItemType, true, label.Annotations),
    ];

    public override TaskHead Bind(DataViewSchema.Column label) => new MulticlassClassificationHead(Classes(label));

    public override void CheckCompatible(DataViewSchema.Column label, string role) => _classes.CheckSameCount(Classes(label), role, "classes");

    private static KeyClasses Classes(DataViewSchema.Column label) => label.Type is KeyDataViewType key
        ? KeyClasses.Of(label, key, "classes")
        : throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
            $"Label column '{label.Name}' must be a key type for multiclass classification, but it is {label.Type}. " +
            "Map it with mlContext.Transforms.Conversion.MapValueToKey(\"" + label.Name + "\").");

    public override IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new ClassBuffer(cursor.GetGetter<uint>(column), column.Name, role, _classes.Count);

    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target);

    public override void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets) =>
        ClassPriors.Initialize(layer, trainingTargets, _classes.Count);

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output.argmax(1) == target).sum().item<long>();
    }

    public override double FinishMetric(double sum, double count) => sum / count;

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw)
    {
        var probabilities = g.AddNode("Softmax", [raw], g.UniqueName("probabilities"), OnnxAttribute.Int("axis", 1));
        g.AddNode("Reshape", [probabilities, g.Longs("score_shape", _classes.Count)], "Score");
        g.AddNode("ArgMax", [raw], ScoreColumns.PredictedIndex, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        g.AddOutput("Score", OnnxTensorType.Float, _classes.Count);
        if (_classes.Names is { } classNames)
        {
            // OnnxTransformer turns the keys_strings of a node named mlnet.<column>.SlotNames into the column's slot names.
            var names = g.AddInitializer(g.UniqueName("class_names"), classNames, classNames.Length);
            g.AddMlNode("mlnet.Score.SlotNames", "LabelEncoder", [names], g.UniqueName("class_ids"),
                OnnxAttribute.Strings("keys_strings", classNames),
                OnnxAttribute.Ints("values_int64s", Enumerable.Range(0, classNames.Length).Select(i => (long)i).ToArray()));
        }
        g.AddOutput(ScoreColumns.PredictedIndex, OnnxTensorType.Int64, 1);
        return ["Score", ScoreColumns.PredictedIndex];
    }

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Softmax", [raw], "probabilities", OnnxAttribute.Int("axis", 1));
        g.AddNode("ArgMax", [raw], "predicted_index", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        g.AddOutput("probabilities", OnnxTensorType.Float, -1, _classes.Count);
        g.AddOutput("predicted_index", OnnxTensorType.Int64, -1);
    }

    public override IEstimator<ITransformer> ScoringSteps(MLContext ml) =>
        ml.Transforms.CustomMapping(new ClassNumberMapping().GetMapping(), ClassNumberMapping.ContractName)
            .Append(ml.Transforms.DropColumns(ScoreColumns.PredictedIndex))
            .Append(PredictedKeySteps.For(ml, _classes.TrainingLabel, _classes.Count));

    public override IEnumerable<KeyValuePair<string, string>> Metadata => _classes.Metadata;

    public static TaskHead Restore(ModelMetadata m) => new MulticlassClassificationHead(KeyClasses.Restore(m));

    /// <summary>Key labels (1-based, 0 = missing) as [N] int64 class indices.</summary>
    private sealed class ClassBuffer(ValueGetter<uint> getter, string column, string role, int classes) : IColumnBuffer
    {
        private long[] _classes = new long[1024];
        private long _rows;

        public void Add(long row)
        {
            if (_rows == _classes.Length)
                Array.Resize(ref _classes, _classes.Length * 2);
            uint k = 0;
            getter(ref k);
            if (k == 0 || k > classes)
                throw new InvalidDataException(
                    $"Label column '{column}' of the {role} data has a missing or out-of-range key at row {row} " +
                    $"(expected a class from 1 to {classes}; 0 means the value was not in the key's dictionary).");
            _classes[_rows++] = k - 1;
        }

        public Tensor ToTensor() => tensor(_classes.AsSpan(0, (int)_rows).ToArray(), new long[] { _rows });
    }
}

/// <summary>Input of the class-index adapter.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictedIndexRow
{
    /// <summary>0-based class index from the ONNX ArgMax.</summary>
    [ColumnName(ScoreColumns.PredictedIndex), VectorType(1)]
    public long[] Index { get; set; } = [];
}

/// <summary>Output of the class-index adapter: the 1-based class number.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassNumberRow
{
    /// <summary>1-based class number (key value).</summary>
    [ColumnName(ScoreColumns.ClassNumber)]
    public uint ClassNumber { get; set; }
}

/// <summary>Turns the 0-based predicted index into the 1-based class number. Saved models find it by its contract name.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class ClassNumberMapping : CustomMappingFactory<PredictedIndexRow, ClassNumberRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.ClassNumber";

    /// <inheritdoc />
    public override Action<PredictedIndexRow, ClassNumberRow> GetMapping() => Map;

    internal static void Map(PredictedIndexRow input, ClassNumberRow output) => output.ClassNumber = checked((uint)(input.Index[0] + 1));
}
