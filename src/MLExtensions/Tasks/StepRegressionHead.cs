using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Inputs;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>
/// Per-step regression: the label is a vector of <see cref="float"/> with one value per step of the feature sequence
/// (for example a clean signal for a noisy one); one output per step; loss MSE, MAE or Huber over the real steps only,
/// metric RMSE. <c>Score</c> is a variable-size vector with one prediction per step.
/// </summary>
internal sealed class StepRegressionHead : TaskHead
{
    public override bool PredictsValues => true;

    public const string TaskName = "StepRegression";

    private readonly RegressionObjective _objective;

    public StepRegressionHead(RegressionLoss loss, double huberDelta, bool labelScaling = true)
        : this(new RegressionObjective(loss, huberDelta, labelScaling, LabelScale.Identity)) { }

    private StepRegressionHead(RegressionObjective objective) => _objective = objective;

    public override TaskHead Prepare(Tensor trainingTargets) => new StepRegressionHead(_objective.Prepare(trainingTargets));

    public override void ScaleTargets(Tensor targets) => _objective.Scale.Apply(targets);

    public override void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets) =>
        RegressionObjective.InitializeBias(layer, trainingTargets);

    public override double LossScale => _objective.LossScale;

    public override string Name => TaskName;

    public override bool PerStep => true;

    public override int OutputSize => 1;

    public override string MetricName => "RMSE";

    public override void CheckLabelShape(SchemaShape.Column label, string columnName)
    {
        if (label.Kind == SchemaShape.Column.VectorKind.Scalar || label.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(columnName, $"Label column '{columnName}' must be a vector of Single (one value per step) for per-step regression.");
    }

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
        [MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false)];

    public override TaskHead Bind(DataViewSchema.Column label)
    {
        if (label.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(TorchTrainerOptions.LabelColumnName),
                $"Label column '{label.Name}' must be a vector of Single (one value per step) for per-step regression, but it is {label.Type}.");
        return this;
    }

    public override IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role) =>
        new StepValueBuffer(cursor.GetGetter<VBuffer<float>>(column), column.Name, role);

    public override double Count(Tensor target)
    {
        using var scope = NewDisposeScope();
        return target.isnan().logical_not().sum().item<long>();
    }

    public override Tensor Loss(Tensor output, Tensor target)
    {
        var valid = target.isnan().logical_not();
        var predicted = output.squeeze(-1).masked_select(valid);
        var actual = target.masked_select(valid);
        return _objective.Compute(predicted, actual);
    }

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var valid = target.isnan().logical_not();
        return (output.squeeze(-1).masked_select(valid) - target.masked_select(valid)).square().sum().item<float>();
    }

    public override double FinishMetric(double sum, double count) => _objective.Rmse(sum, count);

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Reshape", [_objective.Scale.WriteOnnx(g, raw), g.Longs("flat", -1)], "Score");
        g.AddOutput("Score", OnnxTensorType.Float, -1);
        return ["Score"];
    }

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Squeeze", [_objective.Scale.WriteOnnx(g, raw), g.Longs("last_axis", 2)], "score");
        g.AddOutput("score", OnnxTensorType.Float, -1, -1);
    }

    public override IEstimator<ITransformer> ScoringSteps(MLContext ml) => new EstimatorChain<ITransformer>();

    public override IEnumerable<KeyValuePair<string, string>> Metadata => _objective.Metadata;

    public static TaskHead Restore(ModelMetadata m) => new StepRegressionHead(RegressionObjective.Restore(m));

    /// <summary>One value per step as [N, T] floats, padded with NaN.</summary>
    private sealed class StepValueBuffer(ValueGetter<VBuffer<float>> getter, string column, string role) : IStepLabelBuffer
    {
        private readonly List<float[]> _rows = new();
        private VBuffer<float> _buffer;

        public void Add(long row) => throw new InvalidOperationException("Per-step labels are read together with their sequence.");

        public void Add(long row, int sourceSteps, int keptSteps)
        {
            getter(ref _buffer);
            if (_buffer.Length != sourceSteps)
                throw new InvalidDataException(
                    $"Label column '{column}' of the {role} data has {_buffer.Length} values at row {row}, but the row's sequence has {sourceSteps} steps; " +
                    "per-step labels need exactly one value per step.");
            var values = _buffer.DenseValues().Take(keptSteps).ToArray();
            for (int t = 0; t < values.Length; t++)
                if (!float.IsFinite(values[t]))
                    throw new InvalidDataException($"Label column '{column}' of the {role} data has a non-finite value ({values[t]}) at row {row}, step {t}.");
            _rows.Add(values);
        }

        public Tensor ToTensor()
        {
            var (values, longest) = SequenceLayouts.Pad(_rows, float.NaN);
            return tensor(values, new long[] { _rows.Count, longest });
        }
    }
}
