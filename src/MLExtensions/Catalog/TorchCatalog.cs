using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLExtensions.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>MLExtensions trainers on ML.NET's trainer catalogs.</summary>
public static class TorchCatalog
{
    // ---- Regression ----

    /// <summary>Linear regression trained with TorchSharp (loss MSE, MAE or Huber).</summary>
    public static TorchLinearTrainer TorchLinearRegression(this RegressionCatalog.RegressionTrainers catalog, LinearOptions options) =>
        new(Env(catalog), options, Regression, "TorchLinearRegression");

    /// <summary>Linear regression with the common arguments.</summary>
    public static TorchLinearTrainer TorchLinearRegression(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = TrainerDefaults.Linear.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Linear.LearningRate, TorchOptimizer optimizer = TrainerDefaults.Linear.Optimizer, RegressionLoss loss = RegressionLoss.Mse) =>
        catalog.TorchLinearRegression(new LinearOptions
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize,
            LearningRate = learningRate, Optimizer = optimizer, Loss = loss,
        });

    /// <summary>A multilayer perceptron for regression.</summary>
    public static TorchMlpTrainer TorchMlp(this RegressionCatalog.RegressionTrainers catalog, MlpOptions options) =>
        new(Env(catalog), options, Regression);

    /// <summary>A multilayer perceptron for regression with the common arguments.</summary>
    public static TorchMlpTrainer TorchMlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        Activation activation = Activation.Relu, int epochs = TrainerDefaults.Mlp.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Common.LearningRate) =>
        catalog.TorchMlp(Mlp(labelColumnName, featureColumnName, hiddenLayerSizes, activation, epochs, batchSize, learningRate));

    /// <summary>A convolutional network predicting a value from an image (pixels from <c>ExtractPixels</c>).</summary>
    public static TorchCnnTrainer TorchCnn(this RegressionCatalog.RegressionTrainers catalog, CnnOptions options) =>
        new(Env(catalog), options, Regression);

    /// <summary>A recurrent network predicting a value from a token or step sequence (for example a time-series window).</summary>
    public static TorchRnnTrainer TorchRnn(this RegressionCatalog.RegressionTrainers catalog, RnnOptions options) =>
        new(Env(catalog), options, SequenceRegression);

    /// <summary>A self-attention encoder predicting a value from a token sequence, step sequence or image patches.</summary>
    public static TorchAttentionTrainer TorchAttention(this RegressionCatalog.RegressionTrainers catalog, AttentionOptions options) =>
        new(Env(catalog), options, SequenceRegression);

    /// <summary>
    /// Trains a network you build in TorchSharp to predict a value with the shared training loop.
    /// </summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="createNetwork">Builds a new, untrained network on each call, for example
    /// <c>() =&gt; nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 1))</c>. It receives <c>[N, features]</c>
    /// floats (or <c>[N, ..InputShape]</c>, or <c>[N, T]</c> int64 tokens) and returns <c>[N, 1]</c>. Every layer
    /// must be exportable to ONNX (see <see cref="TorchOnnx"/>).</param>
    /// <param name="options">Training options, the input shape and initial weights; null for the defaults.</param>
    /// <remarks>The network's output size is checked against the task, and the exporter writes it, before any row is
    /// read; see <see cref="TorchModuleTrainer"/>.</remarks>
    public static TorchModuleTrainer TorchModule(this RegressionCatalog.RegressionTrainers catalog,
        Func<nn.Module<Tensor, Tensor>> createNetwork, ModuleOptions? options = null) =>
        new(Env(catalog), createNetwork, options ?? new ModuleOptions(), Regression);

    // ---- Binary classification ----

    /// <summary>Logistic regression (binary cross-entropy) trained with TorchSharp.</summary>
    public static TorchLinearTrainer TorchLogisticRegression(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, LinearOptions options) =>
        new(Env(catalog), options, Binary, "TorchLogisticRegression");

    /// <summary>Logistic regression with the common arguments.</summary>
    public static TorchLinearTrainer TorchLogisticRegression(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = TrainerDefaults.Linear.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Linear.LearningRate, TorchOptimizer optimizer = TrainerDefaults.Linear.Optimizer) =>
        catalog.TorchLogisticRegression(new LinearOptions
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize,
            LearningRate = learningRate, Optimizer = optimizer,
        });

    /// <summary>A multilayer perceptron for binary classification.</summary>
    public static TorchMlpTrainer TorchMlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpOptions options) =>
        new(Env(catalog), options, Binary);

    /// <summary>A multilayer perceptron for binary classification with the common arguments.</summary>
    public static TorchMlpTrainer TorchMlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        Activation activation = Activation.Relu, int epochs = TrainerDefaults.Mlp.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Common.LearningRate) =>
        catalog.TorchMlp(Mlp(labelColumnName, featureColumnName, hiddenLayerSizes, activation, epochs, batchSize, learningRate));

    /// <summary>A convolutional network classifying images into two classes.</summary>
    public static TorchCnnTrainer TorchCnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, CnnOptions options) =>
        new(Env(catalog), options, Binary);

    /// <summary>A recurrent network classifying token or step sequences into two classes.</summary>
    public static TorchRnnTrainer TorchRnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RnnOptions options) =>
        new(Env(catalog), options, SequenceBinary);

    /// <summary>A self-attention encoder classifying sequences or images into two classes.</summary>
    public static TorchAttentionTrainer TorchAttention(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, AttentionOptions options) =>
        new(Env(catalog), options, SequenceBinary);

    /// <summary>
    /// Trains a network you build in TorchSharp to classify into two classes (it returns the logit of the positive class) with the shared training loop.
    /// </summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="createNetwork">Builds a new, untrained network on each call, for example
    /// <c>() =&gt; nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 1))</c>. It receives <c>[N, features]</c>
    /// floats (or <c>[N, ..InputShape]</c>, or <c>[N, T]</c> int64 tokens) and returns <c>[N, 1]</c>. Every layer
    /// must be exportable to ONNX (see <see cref="TorchOnnx"/>).</param>
    /// <param name="options">Training options, the input shape and initial weights; null for the defaults.</param>
    /// <remarks>The network's output size is checked against the task, and the exporter writes it, before any row is
    /// read; see <see cref="TorchModuleTrainer"/>.</remarks>
    public static TorchModuleTrainer TorchModule(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        Func<nn.Module<Tensor, Tensor>> createNetwork, ModuleOptions? options = null) =>
        new(Env(catalog), createNetwork, options ?? new ModuleOptions(), Binary);

    // ---- Multiclass classification ----

    /// <summary>Softmax regression (cross-entropy) trained with TorchSharp. The label must be a key.</summary>
    public static TorchLinearTrainer TorchSoftmaxRegression(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, LinearOptions options) =>
        new(Env(catalog), options, Multiclass, "TorchSoftmaxRegression");

    /// <summary>Softmax regression with the common arguments.</summary>
    public static TorchLinearTrainer TorchSoftmaxRegression(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = TrainerDefaults.Linear.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Linear.LearningRate, TorchOptimizer optimizer = TrainerDefaults.Linear.Optimizer) =>
        catalog.TorchSoftmaxRegression(new LinearOptions
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize,
            LearningRate = learningRate, Optimizer = optimizer,
        });

    /// <summary>A multilayer perceptron for multiclass classification. The label must be a key.</summary>
    public static TorchMlpTrainer TorchMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpOptions options) =>
        new(Env(catalog), options, Multiclass);

    /// <summary>A multilayer perceptron for multiclass classification with the common arguments.</summary>
    public static TorchMlpTrainer TorchMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        Activation activation = Activation.Relu, int epochs = TrainerDefaults.Mlp.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Common.LearningRate) =>
        catalog.TorchMlp(Mlp(labelColumnName, featureColumnName, hiddenLayerSizes, activation, epochs, batchSize, learningRate));

    /// <summary>A convolutional network classifying images. The label must be a key.</summary>
    public static TorchCnnTrainer TorchCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnOptions options) =>
        new(Env(catalog), options, Multiclass);

    /// <summary>A convolutional network classifying images with the common arguments. The label must be a key.</summary>
    public static TorchCnnTrainer TorchCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        int imageHeight, int imageWidth, int imageChannels = 3, CnnArchitecture architecture = CnnArchitecture.LeNet,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = TrainerDefaults.Cnn.Epochs, int batchSize = TrainerDefaults.Common.BatchSize,
        double learningRate = TrainerDefaults.Common.LearningRate) =>
        catalog.TorchCnn(new CnnOptions
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, ImageChannels = imageChannels, Architecture = architecture,
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate,
        });

    /// <summary>A recurrent network classifying token or step sequences. The label must be a key.</summary>
    public static TorchRnnTrainer TorchRnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RnnOptions options) =>
        new(Env(catalog), options, SequenceMulticlass);

    /// <summary>A self-attention encoder classifying sequences or images. The label must be a key.</summary>
    public static TorchAttentionTrainer TorchAttention(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, AttentionOptions options) =>
        new(Env(catalog), options, SequenceMulticlass);

    /// <summary>
    /// Trains a network you build in TorchSharp to classify into K classes (one logit per class; the label must be a key) with the shared training loop.
    /// </summary>
    /// <param name="catalog">The multiclass classification trainer catalog.</param>
    /// <param name="createNetwork">Builds a new, untrained network on each call, for example
    /// <c>() =&gt; nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, K))</c>. It receives <c>[N, features]</c>
    /// floats (or <c>[N, ..InputShape]</c>, or <c>[N, T]</c> int64 tokens) and returns <c>[N, K]</c>. Every layer
    /// must be exportable to ONNX (see <see cref="TorchOnnx"/>).</param>
    /// <param name="options">Training options, the input shape and initial weights; null for the defaults.</param>
    /// <remarks>The network's output size is checked against the task, and the exporter writes it, before any row is
    /// read; see <see cref="TorchModuleTrainer"/>.</remarks>
    public static TorchModuleTrainer TorchModule(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        Func<nn.Module<Tensor, Tensor>> createNetwork, ModuleOptions? options = null) =>
        new(Env(catalog), createNetwork, options ?? new ModuleOptions(), Multiclass);

    private static MlpOptions Mlp(string label, string features, int[]? hidden, Activation activation, int epochs, int batchSize, double learningRate) => new()
    {
        LabelColumnName = label, FeatureColumnName = features, HiddenLayerSizes = hidden ?? [TrainerDefaults.Mlp.HiddenLayerSize], Activation = activation,
        Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate,
    };

    private static readonly Func<TorchTrainerOptions, TaskHead> Regression = o => new RegressionHead(o.Loss, o.HuberDelta, o.LabelScaling);
    private static readonly Func<TorchTrainerOptions, TaskHead> Binary = _ => new BinaryClassificationHead();
    private static readonly Func<TorchTrainerOptions, TaskHead> Multiclass = _ => new MulticlassClassificationHead();

    // Sequence trainers predict per sequence or, with Output = PerStep, per step.
    private static readonly Func<TorchTrainerOptions, TaskHead> SequenceRegression = o => PerStep(o)
        ? new StepRegressionHead(o.Loss, o.HuberDelta, o.LabelScaling)
        : Regression(o);

    private static readonly Func<TorchTrainerOptions, TaskHead> SequenceBinary = o => PerStep(o)
        ? throw new ArgumentOutOfRangeException(nameof(SequenceTrainerOptions.Output),
            "Per-step output predicts a tag per step (use the multiclass catalog, with a vector of keys as the label) or a value per step " +
            "(use the regression catalog, with a vector of Single as the label); the binary catalog predicts one Boolean per sequence.")
        : Binary(o);

    private static readonly Func<TorchTrainerOptions, TaskHead> SequenceMulticlass = o => PerStep(o)
        ? new SequenceTaggingHead()
        : Multiclass(o);

    private static bool PerStep(TorchTrainerOptions o) => o is SequenceTrainerOptions { Output: SequenceOutput.PerStep };

    private static IHostEnvironment? Env(object catalog) => MlNetInternals.CatalogEnvironment(catalog);
}
