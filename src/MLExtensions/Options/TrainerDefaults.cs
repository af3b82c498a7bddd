namespace MLExtensions;

/// <summary>
/// Every default of the trainers' training settings, in one place: the options classes start from these values and the
/// catalogs' short overloads use them as their parameters' defaults. They were chosen by a study over generated data
/// sets of different kinds (docs/defaults.md has the data, the candidates, the table of results and the command that
/// reproduces it): what does well across all the sets, not the best for each.
/// </summary>
public static class TrainerDefaults
{
    /// <summary>Shared by all trainers unless a trainer's own class says otherwise.</summary>
    public static class Common
    {
        /// <summary>Rows per mini-batch: 0 chooses it from the training rows (<see cref="AutomaticBatchSize"/>).</summary>
        public const int BatchSize = 0;

        /// <summary>The optimizer.</summary>
        public const TorchOptimizer Optimizer = TorchOptimizer.Adam;

        /// <summary>Adam's learning rate.</summary>
        public const double LearningRate = 1e-3;

        /// <summary>Epochs at most (early stopping usually ends training sooner).</summary>
        public const int Epochs = 50;

        /// <summary>The fraction of the training rows held out to validate after every epoch.</summary>
        public const double ValidationFraction = 0.1;

        /// <summary>Epochs without improvement of the validation loss after which training stops.</summary>
        public const int EarlyStoppingPatience = 5;

        /// <summary>End with the weights of the epoch with the lowest validation loss.</summary>
        public const bool RestoreBestWeights = true;
    }

    /// <summary>The automatic batch size: the training rows divided by this, within [<see cref="MinBatchSize"/>, <see cref="MaxBatchSize"/>].</summary>
    public const int BatchesPerEpoch = 50;

    /// <summary>The smallest automatic batch size (every set of fewer than 32 × <see cref="BatchesPerEpoch"/> rows trains in batches of 32).</summary>
    public const int MinBatchSize = 32;

    /// <summary>The largest automatic batch size.</summary>
    public const int MaxBatchSize = 512;

    /// <summary>
    /// The batch size used when <see cref="TorchTrainerOptions.BatchSize"/> is 0: <paramref name="trainingRows"/> / 50,
    /// within [32, 512]. Small sets get batches of 32 (enough steps per epoch to learn from few rows); large sets get
    /// up to 512 rows per step, which trains as well per epoch (the study) in a fraction of the time.
    /// </summary>
    /// <param name="trainingRows">The rows trained on (after the validation rows are held out).</param>
    public static int AutomaticBatchSize(long trainingRows) =>
        (int)Math.Clamp(trainingRows / BatchesPerEpoch, MinBatchSize, MaxBatchSize);

    /// <summary><c>TorchLinearRegression</c>, <c>TorchLogisticRegression</c>, <c>TorchSoftmaxRegression</c>: full-batch L-BFGS with a small L2 penalty, as ML.NET's own linear trainers.</summary>
    public static class Linear
    {
        /// <summary>The optimizer: full-batch L-BFGS.</summary>
        public const TorchOptimizer Optimizer = TorchOptimizer.Lbfgs;

        /// <summary>L-BFGS iterations at most (training stops earlier when the loss stops changing).</summary>
        public const int Epochs = 100;

        /// <summary>L2 penalty on the weights (of standardized features): keeps separable classes from driving the weights to infinity.</summary>
        public const double WeightDecay = 1e-3;

        /// <summary>The learning rate when a mini-batch optimizer is chosen instead.</summary>
        public const double LearningRate = 0.01;

        /// <summary>No validation rows: the convex fit with L2 needs no early stopping and learns from every row.</summary>
        public const double ValidationFraction = 0;

        /// <summary>No early stopping.</summary>
        public const int EarlyStoppingPatience = 0;
    }

    /// <summary><c>TorchMlp</c>.</summary>
    public static class Mlp
    {
        /// <summary>Epochs at most (early stopping usually ends training sooner).</summary>
        public const int Epochs = 100;

        /// <summary>Units of the single hidden layer.</summary>
        public const int HiddenLayerSize = 128;

        /// <summary>L2 weight decay (Adam's, added to the gradient).</summary>
        public const double WeightDecay = 1e-4;

        /// <summary>No dropout: with early stopping and L2 it helped on no set by more than the noise (docs/defaults.md).</summary>
        public const double Dropout = 0;

        /// <summary>Epochs without improvement of the validation loss after which training stops.</summary>
        public const int EarlyStoppingPatience = 10;
    }

    /// <summary><c>TorchCnn</c>.</summary>
    public static class Cnn
    {
        /// <summary>Epochs at most (early stopping usually ends training sooner).</summary>
        public const int Epochs = Common.Epochs;

        /// <summary>Dropout after each hidden dense layer (LeNet and ConvStack) during training, for classification.</summary>
        public const double Dropout = 0.25;

        /// <summary>The same for regression: none.</summary>
        public const double RegressionDropout = 0;
    }

    /// <summary><c>TorchRnn</c>.</summary>
    public static class Rnn
    {
        /// <summary>Epochs at most (early stopping usually ends training sooner).</summary>
        public const int Epochs = Common.Epochs;
    }

    /// <summary><c>TorchAttention</c>.</summary>
    public static class Attention
    {
        /// <summary>Epochs at most (early stopping usually ends training sooner).</summary>
        public const int Epochs = Common.Epochs;

        /// <summary>The longest sequence (and the learned positional table's length).</summary>
        public const int MaxSequenceLength = 512;

        /// <summary>Dropout on attention and feed-forward outputs during training.</summary>
        public const double Dropout = 0.3;
    }
}
