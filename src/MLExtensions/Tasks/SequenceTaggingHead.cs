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
/// Sequence tagging: the label is a vector of keys with one key per step of the feature sequence (for example
/// <c>TokenizeIntoWords</c> → <c>MapValueToKey</c> on a tag column); the network predicts K logits per step;
/// cross-entropy over the real steps only, metric token accuracy. <c>Score</c> is a variable-size vector of the
/// per-step class probabilities, steps × classes flattened (the probabilities of step t are slots t·K to t·K + K − 1);
/// <c>PredictedLabel</c> is a vector of keys of the row's length with the training label's key values.
/// </summary>
internal sealed class SequenceTaggingHead : TaskHead
{
    public const string TaskName = "SequenceTagging";

    /// <summary>The target of padded steps, which the loss and the metric skip.</summary>
    internal const long Padding = -100;

    private readonly KeyClasses _classes;

    public SequenceTaggingHead() : this(KeyClasses.Unbound) { }

    private SequenceTaggingHead(KeyClasses classes) => _classes = classes;

    public override string Name => TaskName;

    public override bool PerStep => true;

    public override int OutputSize => _classes.OutputSize;

    public override string MetricName => "Accuracy";

    /// <summary>The tag names (the label key's values, in key order), or null when the key has none.</summary>
    public IReadOnlyList<string>? ClassNames => _classes.Names;

    public override void CheckLabelShape(SchemaShape.Column label, string columnName)
    {
        if (label.Kind == SchemaShape.Column.VectorKind.Scalar || !label.IsKey)
            throw new ArgumentOutOfRangeException(columnName,
                $"Label column '{columnName}' must be a vector of keys (one tag per step) for per-step classification, for example TokenizeIntoWords followed by MapValueToKey.");
    }

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
    [
        MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false),
        MlNetInternals.SchemaColumn("PredictedLabel", SchemaShape.Column.VectorKind.VariableVector, label.ItemType, true, label.Annotations),
    ];

    public override TaskHead Bind(DataViewSchema.Column label) => new SequenceTaggingHead(Tags(label));

    public override void CheckCompatible(DataViewSchema.Column label, string role) => _classes.CheckSameCount(Tags(label), role, "tags");

    private static KeyClasses Tags(DataViewSchema.Column label) => label.Type is VectorDataViewType { ItemType: KeyDataViewType key }
        ? KeyClasses.Of(label, key, "tags")
        : throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
            $"Label column '{label.Name}' must be a vector of keys (one tag per step) for per-step classification, but it is {label.Type}. " +
            "Tokenize the tags with TokenizeIntoWords and map them with MapValueToKey.");

    public override IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new StepTagBuffer(KeyReader.For(cursor, column), column.Name, role, _classes.Count);

    public override double Count(Tensor target)
    {
        using var scope = NewDisposeScope();
        return target.ne(Padding).sum().item<long>();
    }

    public override void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets)
    {
        using var valid = trainingTargets.masked_select(trainingTargets.ne(Padding));
        ClassPriors.Initialize(layer, valid, _classes.Count);
    }

    public override Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), target.reshape(-1), ignore_index: Padding);

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return output.argmax(-1).eq(target).logical_and(target.ne(Padding)).sum().item<long>();
    }

    public override double FinishMetric(double sum, double count) => sum / count;

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw)
    {
        // raw [1, T, K] for the one row OnnxTransformer feeds; both outputs have a length only known at run time, which
        // OnnxTransformer turns into variable-size vector columns.
        var probabilities = g.Node("Softmax", [raw], OnnxAttribute.Int("axis", -1));
        g.AddNode("Reshape", [probabilities, g.Longs("flat", -1)], "Score");
        g.AddOutput("Score", OnnxTensorType.Float, -1);
        var index = g.Node("ArgMax", [raw], OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("keepdims", 0));
        g.AddNode("Reshape", [index, g.Longs("flat", -1)], ScoreColumns.PredictedIndex);
        g.AddOutput(ScoreColumns.PredictedIndex, OnnxTensorType.Int64, -1);
        return ["Score", ScoreColumns.PredictedIndex];
    }

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Softmax", [raw], "probabilities", OnnxAttribute.Int("axis", -1));
        g.AddNode("ArgMax", [raw], "predicted_index", OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("keepdims", 0));
        g.AddOutput("probabilities", OnnxTensorType.Float, -1, -1, _classes.Count);
        g.AddOutput("predicted_index", OnnxTensorType.Int64, -1, -1);
    }

    public override IEstimator<ITransformer> ScoringSteps(MLContext ml) =>
        ml.Transforms.CustomMapping(new StepClassNumberMapping().GetMapping(), StepClassNumberMapping.ContractName)
            .Append(ml.Transforms.DropColumns(ScoreColumns.PredictedIndex))
            .Append(PredictedKeySteps.For(ml, _classes.TrainingLabel, _classes.Count));

    public override IEnumerable<KeyValuePair<string, string>> Metadata =>
    [
        .. _classes.Metadata,
        new(ModelMetadata.Prefix + "score_layout", "steps × classes, row-major: slot t·classes + k is the probability of class k at step t"),
    ];

    public static TaskHead Restore(ModelMetadata m) => new SequenceTaggingHead(KeyClasses.Restore(m));

    /// <summary>One key per step as int64 class indices [N, T], padded with <see cref="Padding"/>.</summary>
    private sealed class StepTagBuffer(Func<ulong[]> read, string column, string role, int classes) : IStepLabelBuffer
    {
        private readonly List<long[]> _rows = new();

        public void Add(long row) => throw new InvalidOperationException("Per-step labels are read together with their sequence.");

        public void Add(long row, int sourceSteps, int keptSteps)
        {
            var keys = read();
            if (keys.Length != sourceSteps)
                throw new InvalidDataException(
                    $"Label column '{column}' of the {role} data has {keys.Length} tags at row {row}, but the row's sequence has {sourceSteps} steps; " +
                    "per-step labels need exactly one tag per step.");
            var tags = new long[keptSteps];
            for (int t = 0; t < keptSteps; t++)
            {
                if (keys[t] == 0 || keys[t] > (ulong)classes)
                    throw new InvalidDataException(
                        $"Label column '{column}' of the {role} data has a missing or out-of-range key at row {row}, step {t} " +
                        $"(expected a tag from 1 to {classes}; 0 means the value was not in the key's dictionary).");
                tags[t] = (long)keys[t] - 1;
            }
            _rows.Add(tags);
        }

        public Tensor ToTensor()
        {
            var (values, longest) = SequenceLayouts.Pad(_rows, Padding);
            return tensor(values, new long[] { _rows.Count, longest });
        }
    }
}

/// <summary>Input of the per-step class-number adapter: the 0-based predicted index of every step.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StepPredictedIndexRow
{
    /// <summary>0-based class index per step from the ONNX ArgMax.</summary>
    [ColumnName(ScoreColumns.PredictedIndex)]
    public long[] Index { get; set; } = [];
}

/// <summary>Output of the per-step class-number adapter: the 1-based class number of every step.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StepClassNumberRow
{
    /// <summary>1-based class numbers (key values).</summary>
    [ColumnName(ScoreColumns.ClassNumber)]
    public uint[] ClassNumber { get; set; } = [];
}

/// <summary>Turns the per-step 0-based predicted indices into 1-based class numbers. Saved models find it by its contract name.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class StepClassNumberMapping : CustomMappingFactory<StepPredictedIndexRow, StepClassNumberRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.StepClassNumber";

    /// <inheritdoc />
    public override Action<StepPredictedIndexRow, StepClassNumberRow> GetMapping() => Map;

    internal static void Map(StepPredictedIndexRow input, StepClassNumberRow output)
    {
        var numbers = new uint[input.Index.Length];
        for (int i = 0; i < numbers.Length; i++)
            numbers[i] = checked((uint)(input.Index[i] + 1));
        output.ClassNumber = numbers;
    }
}
