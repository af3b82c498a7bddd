namespace MLExtensions;

/// <summary>
/// Options for <c>TorchCnn</c>. The feature column holds the pixels of one image as ML.NET's <c>ExtractPixels</c>
/// writes them: channels first (all red values, then green, then blue), so its size must be
/// <see cref="ImageHeight"/> × <see cref="ImageWidth"/> × <see cref="ImageChannels"/>.
/// </summary>
public sealed class CnnOptions : TorchTrainerOptions
{
    /// <summary>
    /// Creates the options (see <see cref="TrainerDefaults.Cnn"/>): Adam (lr 1e-3), the automatic batch size, at most
    /// 50 epochs with 10 % of the rows validating and early stopping after 5 epochs without improvement, the best
    /// epoch's weights restored, dropout 0.25 before the output layer.
    /// </summary>
    public CnnOptions() => Epochs = TrainerDefaults.Cnn.Epochs;

    /// <summary>Image height in pixels.</summary>
    public int ImageHeight { get; set; }

    /// <summary>Image width in pixels.</summary>
    public int ImageWidth { get; set; }

    /// <summary>Channels: 3 for RGB, 1 for grayscale.</summary>
    public int ImageChannels { get; set; } = 3;

    /// <summary>The network.</summary>
    public CnnArchitecture Architecture { get; set; } = CnnArchitecture.LeNet;

    /// <summary>Pooling of the two <see cref="CnnArchitecture.LeNet"/> stages: <see cref="Pooling.Max"/> (the default, which
    /// generalizes better from small image sets) or <see cref="Pooling.Average"/> (LeNet-5's original subsampling).</summary>
    public Pooling LeNetPooling { get; set; } = Pooling.Max;

    /// <summary>Nonlinearity after convolutions and hidden dense layers.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Blocks of <see cref="CnnArchitecture.ConvStack"/>. The default is the classic CIFAR-10 network's
    /// Conv(32, 5×5, pad 2) → MaxPool 2 → Conv(32, 5×5, pad 2) → MaxPool 2 → Conv(64, 5×5, pad 2) → MaxPool 2.</summary>
    public ConvLayer[] ConvLayers { get; set; } = [new(32, 5), new(32, 5), new(64, 5)];

    /// <summary>Hidden dense layers between the flattened convolution output and the output layer
    /// (<see cref="CnnArchitecture.ConvStack"/>; with the default stack on 32×32 images: Linear(1024 → 64) → Linear(64 → outputs)).</summary>
    public int[] DenseLayers { get; set; } = [64];

    /// <summary>
    /// Dropout after each hidden dense layer during training (0 disables it). LeNet and ConvStack only. Null (the default)
    /// chooses it from the task: <see cref="TrainerDefaults.Cnn.Dropout"/> (0.25) for classification,
    /// <see cref="TrainerDefaults.Cnn.RegressionDropout"/> (0) for regression, where dropout before the output costs
    /// accuracy (docs/defaults.md).
    /// </summary>
    public double? Dropout { get; set; }

    /// <summary>Residual blocks per stage of <see cref="CnnArchitecture.ResNet"/>; the ResNet-18 layout is 2, 2, 2, 2.</summary>
    public int[] ResNetBlocks { get; set; } = [2, 2, 2, 2];

    /// <summary>Channels of the first <see cref="CnnArchitecture.ResNet"/> stage (doubled at each later stage, which also halves the resolution).</summary>
    public int ResNetWidth { get; set; } = 64;

    /// <summary>Number of inception blocks of <see cref="CnnArchitecture.Inception"/> (a max-pooling halves the resolution between blocks).</summary>
    public int InceptionBlocks { get; set; } = 2;

    /// <summary>Base width of the inception blocks: branches of w (1×1), 2w (3×3), w/2 (5×5) and w/2 (pool) channels.</summary>
    public int InceptionWidth { get; set; } = 32;
}
