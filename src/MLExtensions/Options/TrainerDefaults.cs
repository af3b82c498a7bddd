namespace MLExtensions;

/// <summary>
/// Every default of the trainers' training settings, in one place: the options classes start from these values and the
/// catalogs' short overloads use them as their parameters' defaults. How they were chosen is in docs/defaults.md.
/// </summary>
public static class TrainerDefaults
{
    /// <summary>Shared by all trainers unless a trainer's own class says otherwise.</summary>
    public static class Common
    {
        /// <summary>Rows per mini-batch.</summary>
        public const int BatchSize = 32;

        /// <summary>The optimizer.</summary>
        public const TorchOptimizer Optimizer = TorchOptimizer.Adam;

        /// <summary>Adam's learning rate.</summary>
        public const double LearningRate = 1e-3;
    }

    /// <summary><c>TorchLinearRegression</c>, <c>TorchLogisticRegression</c>, <c>TorchSoftmaxRegression</c>: full-batch L-BFGS, as ML.NET's own linear trainers.</summary>
    public static class Linear
    {
        /// <summary>The optimizer: full-batch L-BFGS.</summary>
        public const TorchOptimizer Optimizer = TorchOptimizer.Lbfgs;

        /// <summary>L-BFGS iterations at most (training stops earlier when the loss stops changing).</summary>
        public const int Epochs = 100;

        /// <summary>The learning rate when a mini-batch optimizer is chosen instead.</summary>
        public const double LearningRate = 0.01;
    }

    /// <summary><c>TorchMlp</c>.</summary>
    public static class Mlp
    {
        /// <summary>Epochs.</summary>
        public const int Epochs = 20;

        /// <summary>Units of the single hidden layer.</summary>
        public const int HiddenLayerSize = 64;
    }

    /// <summary><c>TorchCnn</c>.</summary>
    public static class Cnn
    {
        /// <summary>Epochs.</summary>
        public const int Epochs = 20;
    }

    /// <summary><c>TorchRnn</c>.</summary>
    public static class Rnn
    {
        /// <summary>Epochs.</summary>
        public const int Epochs = 20;
    }

    /// <summary><c>TorchAttention</c>.</summary>
    public static class Attention
    {
        /// <summary>Epochs.</summary>
        public const int Epochs = 20;

        /// <summary>The longest sequence (and the learned positional table's length).</summary>
        public const int MaxSequenceLength = 512;
    }
}
