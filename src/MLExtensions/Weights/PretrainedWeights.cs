using MLExtensions.Networks;

namespace MLExtensions;

/// <summary>
/// Pretrained weights for the backbone of <c>TorchVision</c> trainers, from a file the user has (nothing is
/// downloaded), with the input normalization those weights expect — applied inside the network and saved with it.
/// The backbone's weights are loaded; the task's head is always new.
/// </summary>
/// <remarks>
/// Loading never runs code from the file: a PyTorch file's pickle is read as data (see <see cref="TorchWeights"/>), an
/// ONNX model as a graph of nodes and tensors. Keys or shapes that do not fit the backbone fail with a
/// <see cref="StateDictMismatchException"/> that lists them.
/// </remarks>
public sealed class PretrainedWeights
{
    private PretrainedWeights(PretrainedWeightsFormat format, string path, string? preprocessingPath, string? entry, float[] mean, float[] std)
    {
        Format = format;
        Path = path;
        PreprocessingPath = preprocessingPath;
        Entry = entry;
        Mean = mean;
        Std = std;
    }

    /// <summary>How the weights are stored.</summary>
    public PretrainedWeightsFormat Format { get; }

    /// <summary>The weights file.</summary>
    public string Path { get; }

    /// <summary>For <see cref="PretrainedWeightsFormat.Onnx"/>: the preprocessing model whose normalization the weights expect.</summary>
    public string? PreprocessingPath { get; }

    /// <summary>For a PyTorch checkpoint holding more than the state_dict: the key of the state_dict.</summary>
    public string? Entry { get; }

    /// <summary>For <see cref="PretrainedWeightsFormat.StateDict"/>: the per-channel mean of RGB values in [0, 1] the weights expect.</summary>
    public float[] Mean { get; }

    /// <summary>For <see cref="PretrainedWeightsFormat.StateDict"/>: the per-channel standard deviation of RGB values in [0, 1].</summary>
    public float[] Std { get; }

    /// <summary>
    /// A state_dict with torchvision's key names: <c>torch.save(torchvision.models.resnet18(weights=...).state_dict(), "resnet18.pth")</c>,
    /// a <c>.safetensors</c> file, or weights saved by <see cref="TorchWeights.Save(TorchSharp.torch.nn.Module, string)"/>.
    /// The classifier's keys (<c>fc.*</c>, <c>classifier.*</c>) are skipped, since the head is new.
    /// </summary>
    /// <param name="path">The <c>.pt</c>, <c>.pth</c> or <c>.safetensors</c> file.</param>
    /// <param name="entry">For a checkpoint dict such as <c>{"model": state_dict, ...}</c>, the key of the state_dict.</param>
    /// <param name="mean">The per-channel mean of RGB values in [0, 1] (default: ImageNet's, as torchvision's weights expect).</param>
    /// <param name="std">The per-channel standard deviation (default: ImageNet's).</param>
    public static PretrainedWeights FromStateDict(string path, string? entry = null, float[]? mean = null, float[]? std = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        mean ??= PixelNormalization.ImageNetMean;
        std ??= PixelNormalization.ImageNetStd;
        if (mean.Length != 3 || std.Length != 3 || std.Any(s => !(s > 0)) || mean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException("mean and std need three values (red, green, blue), std positive.", mean.Length != 3 ? nameof(mean) : nameof(std));
        return new PretrainedWeights(PretrainedWeightsFormat.StateDict, path, null, entry, (float[])mean.Clone(), (float[])std.Clone());
    }

    /// <summary>
    /// The weights of a ResNet saved as ONNX, read node by node into the matching torchvision ResNet (their tensors may
    /// have any names), with the normalization of <paramref name="preprocessingPath"/>.
    /// </summary>
    /// <param name="modelPath">The ResNet's ONNX model (its graph up to the global average pooling is read).</param>
    /// <param name="preprocessingPath">An ONNX model from 0–255 RGB pixels to the ResNet's input (channel reordering,
    /// mean subtraction, scaling), such as ML.NET's <c>ResNetPreprocess.onnx</c>.</param>
    public static PretrainedWeights FromOnnx(string modelPath, string preprocessingPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentException.ThrowIfNullOrEmpty(preprocessingPath);
        return new PretrainedWeights(PretrainedWeightsFormat.Onnx, modelPath, preprocessingPath, null, [], []);
    }

    /// <summary>
    /// The ImageNet ResNet-18 of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> (the model behind
    /// <c>DnnFeaturizeImage</c>): <c>DnnImageModels/ResNet18Onnx/ResNet18.onnx</c> with
    /// <c>DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx</c>, which the package copies next to the application.
    /// Its input is BGR with a mean image subtracted, in 0–255 units. Use it with <see cref="VisionBackbone.ResNet18"/>.
    /// </summary>
    /// <param name="modelsFolder">The folder holding <c>ResNet18Onnx</c> and <c>ResNetPrepOnnx</c>; by default
    /// <c>DnnImageModels</c> in the application's folder.</param>
    public static PretrainedWeights DnnImageFeaturizerResNet18(string? modelsFolder = null)
    {
        modelsFolder ??= System.IO.Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        string model = System.IO.Path.Combine(modelsFolder, "ResNet18Onnx", "ResNet18.onnx");
        string preprocessing = System.IO.Path.Combine(modelsFolder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        if (!File.Exists(model) || !File.Exists(preprocessing))
            throw new FileNotFoundException($"'{model}' or '{preprocessing}' does not exist. Reference the NuGet package " +
                "Microsoft.ML.DnnImageFeaturizer.ResNet18, which copies them to DnnImageModels/ in the build output, or pass its folder.",
                File.Exists(model) ? preprocessing : model);
        return FromOnnx(model, preprocessing);
    }

    /// <inheritdoc />
    public override string ToString() => Format == PretrainedWeightsFormat.Onnx
        ? $"ONNX weights '{Path}' (normalization from '{PreprocessingPath}')"
        : $"state_dict '{Path}'" + (Entry is null ? "" : $" (entry '{Entry}')");
}
