using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Inputs;
using MLExtensions.Onnx;
using static TorchSharp.torch;

namespace MLExtensions.Tasks;

/// <summary>
/// What a trainer predicts: everything that depends on the task and nothing else. A head checks and reads the label
/// column, owns the loss and the validation metric, says how many outputs the network needs, writes the ONNX outputs
/// after the network (for ML.NET's scoring chain and for the standalone model), adds the ML.NET steps that turn
/// those outputs into the columns ML.NET's evaluators read, and declares those columns for <c>GetOutputSchema</c>.
/// </summary>
/// <remarks>
/// A head is created unbound (from the trainer's options) and bound to the training label column by <see cref="Bind"/>,
/// which returns a new head that knows, for example, the classes. A new task is one new subclass plus its line in
/// <see cref="TaskHeads"/>.
/// </remarks>
internal abstract class TaskHead
{
    /// <summary>The task's name, stored in saved models (for example "Regression").</summary>
    public abstract string Name { get; }

    /// <summary>The network's output width (after <see cref="Bind"/>).</summary>
    public abstract int OutputSize { get; }

    /// <summary>The validation metric's name in the training history, for example "RMSE" or "Accuracy".</summary>
    public abstract string MetricName { get; }

    /// <summary>True when the network predicts one output per sequence step rather than one per row.</summary>
    public virtual bool PerStep => false;

    /// <summary>True when the head predicts real values (regression) rather than classes; defaults that help classes
    /// but not values (dropout before a CNN's output) read it.</summary>
    public virtual bool PredictsValues => false;

    // ---- schema ----

    /// <summary>Checks the label column's shape in <c>GetOutputSchema</c>.</summary>
    public abstract void CheckLabelShape(SchemaShape.Column label, string columnName);

    /// <summary>The columns the fitted model adds, for <c>GetOutputSchema</c>.</summary>
    public abstract IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label);

    /// <summary>Checks the training label column and returns a head bound to it.</summary>
    public abstract TaskHead Bind(DataViewSchema.Column label);

    /// <summary>Checks that a label column of other data (for example the validation set) matches the bound one.</summary>
    public virtual void CheckCompatible(DataViewSchema.Column label, string role) => Bind(label);

    // ---- data ----

    /// <summary>Starts reading the label column of a cursor (rows along dimension 0 of the resulting tensor).</summary>
    public abstract IColumnBuffer CreateLabelBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role);

    // ---- training ----

    /// <summary>
    /// Learns what the head needs from the training targets (for example the label's mean and standard deviation for
    /// label scaling) and returns the head to train with. The default needs nothing.
    /// </summary>
    public virtual TaskHead Prepare(Tensor trainingTargets) => this;

    /// <summary>Turns read targets into what the network trains on, in place (label scaling); applied to training and validation targets.</summary>
    public virtual void ScaleTargets(Tensor targets) { }

    /// <summary>Starts the output layer's bias where the training targets are (the label mean, the log prior odds, the log class priors).</summary>
    public virtual void InitializeOutputBias(TorchSharp.Modules.Linear layer, Tensor trainingTargets) { }

    /// <summary>How many predictions a batch's targets hold: the rows, or for per-step tasks the real (unpadded) steps.
    /// <see cref="Loss"/> is the mean over these, and the history weights batches by them.</summary>
    public virtual double Count(Tensor target) => target.shape[0];

    /// <summary>The factor that turns <see cref="Loss"/> into the loss the history reports (for example σ² when the head trains on a standardized label).</summary>
    public virtual double LossScale => 1;

    /// <summary>Mean loss of a batch, from the network's raw outputs.</summary>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>The sum over a batch of the metric's per-prediction quantity (see <see cref="Count"/>).</summary>
    public abstract double MetricSum(Tensor output, Tensor target);

    /// <summary>Turns the summed metric of <paramref name="count"/> predictions into the reported value.</summary>
    public abstract double FinishMetric(double sum, double count);

    // ---- ONNX and ML.NET scoring ----

    /// <summary>
    /// Writes the outputs ML.NET's OnnxTransformer reads (one row at a time) from the network's raw output and returns
    /// their names, which become the transformer's output columns.
    /// </summary>
    public abstract string[] WriteScoringOutputs(OnnxGraph graph, string raw);

    /// <summary>Writes the outputs of the standalone (batched) model for use outside ML.NET.</summary>
    public abstract void WriteStandaloneOutputs(OnnxGraph graph, string raw);

    /// <summary>The ML.NET steps after the ONNX model that produce the task's columns (and drop helper columns).</summary>
    public abstract IEstimator<ITransformer> ScoringSteps(MLContext ml);

    /// <summary>What the bound head knows, stored in the saved model so that <see cref="TaskHeads.Restore"/> can rebuild it.</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> Metadata => [];
}
