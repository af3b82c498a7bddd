using Microsoft.ML;

namespace MLExtensions;

/// <summary>
/// Options shared by every MLExtensions trainer: columns, the training loop, the optimizer, the learning-rate
/// schedule, validation and early stopping, and the device.
/// </summary>
public abstract class TorchTrainerOptions
{
    /// <summary>The label column. Regression: <see cref="float"/>; binary: <see cref="bool"/>; multiclass: a key (use <c>MapValueToKey</c>).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: a known-size vector of <see cref="float"/>.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Number of passes over the training data at most (early stopping may end training sooner).</summary>
    public int Epochs { get; set; } = TrainerDefaults.Common.Epochs;

    /// <summary>
    /// Rows per mini-batch. 0 (the default) chooses it from the number of training rows:
    /// <see cref="TrainerDefaults.AutomaticBatchSize"/> (rows / 50, within [32, 512]).
    /// </summary>
    public int BatchSize { get; set; } = TrainerDefaults.Common.BatchSize;

    /// <summary>The (peak) learning rate.</summary>
    public double LearningRate { get; set; } = TrainerDefaults.Common.LearningRate;

    /// <summary>The optimizer.</summary>
    public TorchOptimizer Optimizer { get; set; } = TrainerDefaults.Common.Optimizer;

    /// <summary>Momentum for <see cref="TorchOptimizer.Sgd"/> and <see cref="TorchOptimizer.RmsProp"/>.</summary>
    public double Momentum { get; set; }

    /// <summary>Use Nesterov momentum with <see cref="TorchOptimizer.Sgd"/> (needs <see cref="Momentum"/> &gt; 0).</summary>
    public bool Nesterov { get; set; }

    /// <summary>
    /// L2 weight decay; decoupled from the gradient for <see cref="TorchOptimizer.AdamW"/>, an L2 penalty on the weights
    /// for <see cref="TorchOptimizer.Lbfgs"/>. The default is 0 (1e-3 for the linear trainers, 1e-4 for <c>TorchMlp</c>).
    /// </summary>
    public double WeightDecay { get; set; }

    /// <summary>How the learning rate changes after warm-up.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Multiplicative factor of <see cref="LearningRateSchedule.Step"/> and <see cref="LearningRateSchedule.Exponential"/>.</summary>
    public double LearningRateDecay { get; set; } = 0.1;

    /// <summary>Epochs between decays of <see cref="LearningRateSchedule.Step"/>.</summary>
    public int LearningRateStepSize { get; set; } = 10;

    /// <summary>The floor reached by <see cref="LearningRateSchedule.Cosine"/>.</summary>
    public double MinLearningRate { get; set; }

    /// <summary>Epochs of linear warm-up from <see cref="LearningRate"/>/(WarmupEpochs+1) to <see cref="LearningRate"/>.</summary>
    public int WarmupEpochs { get; set; }

    /// <summary>When positive, gradients are rescaled so that their global L2 norm does not exceed this value.</summary>
    public double GradientClipNorm { get; set; }

    /// <summary>Loss for regression tasks (ignored by classifiers).</summary>
    public RegressionLoss Loss { get; set; } = RegressionLoss.Mse;

    /// <summary>Threshold between the quadratic and linear parts of <see cref="RegressionLoss.Huber"/>, in label units.</summary>
    public double HuberDelta { get; set; } = 1.0;

    /// <summary>
    /// Regression only: train on the label standardized with the training rows' mean and standard deviation, and turn the
    /// network's output back into label units inside the exported model (so <c>Score</c> is in label units and the saved
    /// model needs nothing else). Losses and metrics in the history stay in label units.
    /// </summary>
    public bool LabelScaling { get; set; } = true;

    /// <summary>
    /// Start the output layer's bias where the training labels are: the label mean (regression), the log prior odds
    /// (binary), the log class priors (multiclass and tagging), so the untrained network already predicts the base rate.
    /// </summary>
    public bool InformedOutputBias { get; set; } = true;

    /// <summary>How dense-layer weights are initialized.</summary>
    public WeightInitialization WeightInitialization { get; set; } = WeightInitialization.Default;

    /// <summary>σ for <see cref="WeightInitialization.Normal"/>, the bound for <see cref="WeightInitialization.Uniform"/>, the value for <see cref="WeightInitialization.Constant"/>.</summary>
    public double InitScale { get; set; } = 0.01;

    /// <summary>Seed for weight initialization, shuffling, dropout and the validation split. On the CPU, the same seed and the
    /// same number of threads (see <see cref="CpuThreads"/>) give identical models.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>When positive, libtorch's CPU thread count is set to this value (for the whole process) before training.
    /// 0 (the default) chooses per Fit from the work of one step (parameters × batch size): one thread for small networks,
    /// which train fastest that way and share a busy machine best, one per core for large ones; the previous count is
    /// restored afterwards.</summary>
    public int CpuThreads { get; set; }

    /// <summary>The device to train on.</summary>
    public TorchDevice Device { get; set; } = TorchDevice.Auto;

    /// <summary>Shuffle the training rows every epoch.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Data to validate on after each epoch. Takes precedence over <see cref="ValidationFraction"/>.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>
    /// When in (0, 1) and no <see cref="ValidationSet"/> is given, this fraction of the training rows (chosen with
    /// <see cref="Seed"/>) is held out for validation. 0 trains on every row without validation (then set
    /// <see cref="EarlyStoppingPatience"/> to 0 as well). The default is 0.1 (0 for the linear trainers).
    /// </summary>
    public double ValidationFraction { get; set; } = TrainerDefaults.Common.ValidationFraction;

    /// <summary>
    /// Stop after this many epochs without improvement of the validation loss (0 disables early stopping). Needs
    /// validation data. The default is 5 (10 for <c>TorchMlp</c>, 0 for the linear trainers).
    /// </summary>
    public int EarlyStoppingPatience { get; set; } = TrainerDefaults.Common.EarlyStoppingPatience;

    /// <summary>The smallest decrease of the validation loss that counts as an improvement.</summary>
    public double EarlyStoppingMinDelta { get; set; }

    /// <summary>With validation data, end training with the weights of the epoch that had the lowest validation loss.</summary>
    public bool RestoreBestWeights { get; set; } = TrainerDefaults.Common.RestoreBestWeights;

    /// <summary>
    /// The most memory the training (and validation) rows may take as tensors; larger data is streamed: every epoch reads
    /// the <see cref="IDataView"/> through a cursor into a shuffle buffer of <see cref="ShuffleBufferSize"/> rows and
    /// trains on its batches while the next buffer is read. 0 (the default) is an eighth of the memory available to the
    /// process (<see cref="GC.GetGCMemoryInfo()"/>, which honours container limits). When the row count or the sequence
    /// lengths are not known in advance, rows are read until this budget is reached, and training streams from there.
    /// </summary>
    public long MaxInMemoryBytes { get; set; }

    /// <summary>
    /// Streaming only: rows per shuffle buffer (rounded up to whole batches); the rows of a buffer are shuffled with
    /// <see cref="Seed"/> and batched, then the next buffer is read. A buffer also ends once it holds a quarter of
    /// <see cref="MaxInMemoryBytes"/>. Rows move only within their buffer, so data sorted by label needs a buffer that
    /// spans several labels (or a shuffled file).
    /// </summary>
    public int ShuffleBufferSize { get; set; } = 65_536;

    /// <summary>Called after every epoch with that epoch's record.</summary>
    public Action<TorchEpochRecord>? Progress { get; set; }

    /// <summary>Training stops with <see cref="OperationCanceledException"/> at the next mini-batch once this token is cancelled.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// These options as one Fit uses them on <paramref name="trainingRows"/> rows: a copy with the automatic
    /// <see cref="BatchSize"/> replaced by <see cref="TrainerDefaults.AutomaticBatchSize"/>, or these options themselves
    /// when nothing is automatic. The caller's object is never changed.
    /// </summary>
    internal TorchTrainerOptions ForTraining(long trainingRows)
    {
        if (BatchSize != 0)
            return this;
        var copy = (TorchTrainerOptions)MemberwiseClone();
        copy.BatchSize = TrainerDefaults.AutomaticBatchSize(trainingRows);
        return copy;
    }
}
