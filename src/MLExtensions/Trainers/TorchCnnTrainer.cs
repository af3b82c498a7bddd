using Microsoft.ML.Runtime;
using MLExtensions.Networks;
using MLExtensions.Inputs;
using MLExtensions.Tasks;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>A convolutional network on images (LeNet, a conv stack, ResNet or Inception) for regression, binary or multiclass classification.</summary>
public sealed class TorchCnnTrainer : TorchTrainerBase<CnnOptions>
{
    internal TorchCnnTrainer(IHostEnvironment? env, CnnOptions options, Func<TorchTrainerOptions, TaskHead> task)
        : base(env, options, task, "TorchCnn")
    {
    }

    private ImageShape Shape => new(Options.ImageChannels, Options.ImageHeight, Options.ImageWidth);

    private protected override void ValidateArchitectureOptions()
    {
        var o = Options;
        if (o.ImageHeight <= 0 || o.ImageWidth <= 0 || o.ImageChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.ImageHeight),
                $"CnnOptions.ImageHeight, ImageWidth and ImageChannels must be positive (got {o.ImageHeight}×{o.ImageWidth}×{o.ImageChannels}).");
        if (!Enum.IsDefined(o.Architecture))
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.Architecture), o.Architecture, "Unknown architecture.");
        if (!Enum.IsDefined(o.Activation))
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.Activation), o.Activation, "Unknown activation.");
        if (o.LeNetPooling == Pooling.None || !Enum.IsDefined(o.LeNetPooling))
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.LeNetPooling), o.LeNetPooling, "LeNet pools with Max or Average.");
        if (o.Dropout is double dropout && !(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.Dropout), dropout, "Dropout must be in [0, 1), or null to choose it from the task.");
        if (o.DenseLayers is null || o.DenseLayers.Any(s => s <= 0))
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.DenseLayers), "Every dense layer size must be positive.");
        // Building the network checks every layer's output size against the image size before any data is read.
        MLExtensions.Training.DeviceResolver.EnsureBackend();
        using var probe = CreateNetwork(new DenseVectorLayout(Shape.Size), 1);
    }

    private protected override void ValidateFeatureSize(int featureSize)
    {
        var o = Options;
        int expected = Shape.Size;
        if (featureSize == expected)
            return;
        string hint = "";
        int pixels = o.ImageHeight * o.ImageWidth;
        if (pixels > 0 && featureSize == pixels && o.ImageChannels == 3)
            hint = " The vector has one value per pixel: the images look grayscale, so set ImageChannels = 1 (or extract RGB pixels).";
        else if (pixels > 0 && featureSize == 3 * pixels && o.ImageChannels == 1)
            hint = " The vector has three values per pixel: the images look RGB, so set ImageChannels = 3 (or convert with ConvertToGrayscale).";
        else if (pixels > 0 && featureSize == 4 * pixels)
            hint = " The vector has four values per pixel: ExtractPixels included the alpha channel; extract Rgb only.";
        throw new ArgumentOutOfRangeException(o.FeatureColumnName,
            $"Feature column '{o.FeatureColumnName}' has {featureSize} values per row, but CnnOptions describes " +
            $"{o.ImageHeight}×{o.ImageWidth} images with {o.ImageChannels} channel(s) = {expected} values.{hint}");
    }

    private protected override NetworkModule CreateNetwork(InputLayout layout, int outputSize)
    {
        var o = Options;
        ActivationLayer Activation() => new(o.Activation);
        double dropout = o.Dropout ?? (Task.PredictsValues ? TrainerDefaults.Cnn.RegressionDropout : TrainerDefaults.Cnn.Dropout);
        return o.Architecture switch
        {
            CnnArchitecture.LeNet => ConvStackNetwork.LeNet(Shape, outputSize, Activation, dropout, o.LeNetPooling),
            CnnArchitecture.ConvStack => new ConvStackNetwork("ConvStack", Shape, o.ConvLayers, o.DenseLayers, outputSize, Activation, dropout),
            CnnArchitecture.ResNet => new ResNetNetwork(Shape, o.ResNetBlocks, o.ResNetWidth, outputSize, Activation),
            _ => new InceptionNetwork(Shape, o.InceptionBlocks, o.InceptionWidth, outputSize, Activation),
        };
    }
}
