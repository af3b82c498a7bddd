namespace MLExtensions;

/// <summary>
/// Options for <c>TorchModule</c>: a network you build in TorchSharp, trained by the shared loop. Every option of
/// <see cref="TorchTrainerOptions"/> applies; these say how the feature column reaches the network and where its
/// first weights come from.
/// </summary>
/// <remarks>
/// The network receives a batch of rows: <c>[N, features]</c> floats for a known-size vector of <see cref="float"/>
/// (reshaped to <c>[N, ..InputShape]</c> when <see cref="InputShape"/> is set), or <c>[N, T]</c> int64 token
/// indices for a vector of keys (key k is index k, a missing key is <c>vocabulary + 1</c>, padding is 0, so an
/// <c>nn.Embedding(vocabulary + 2, …)</c> reads them). It must return <c>[N, outputs]</c>: one value per row for
/// regression, one logit for binary classification, one logit per class for multiclass classification.
/// </remarks>
public sealed class ModuleOptions : TorchTrainerOptions
{
    /// <summary>
    /// The shape of one row as the network receives it, for example <c>[3, 32, 32]</c> for the pixels of
    /// <c>ExtractPixels</c> (channels first), so that a convolution gets <c>[N, 3, 32, 32]</c>. Its product must equal
    /// the feature vector's size. Null (the default): <c>[N, features]</c>. For Single vectors only.
    /// </summary>
    public int[]? InputShape { get; set; }

    /// <summary>
    /// A PyTorch <c>state_dict</c> to start from: a <c>.pt</c>/<c>.pth</c> file written by <c>torch.save</c> (or
    /// <see cref="TorchWeights.Save(TorchSharp.torch.nn.Module, string)"/>) or a <c>.safetensors</c> file. Its keys
    /// are matched with the network's <c>state_dict()</c> keys, as <see cref="TorchWeights.Load(TorchSharp.torch.nn.Module, string, bool, string?)"/>
    /// does. With <see cref="TorchTrainerOptions.Epochs"/> = 0 the model is saved with these weights, untrained.
    /// </summary>
    public string? InitialWeights { get; set; }

    /// <summary>For a checkpoint dict such as <c>{"model_state_dict": ..., "epoch": 3}</c>, the key of the state_dict in <see cref="InitialWeights"/>.</summary>
    public string? InitialWeightsEntry { get; set; }

    /// <summary>
    /// When true (the default), <see cref="InitialWeights"/> must have exactly the network's keys; when false, missing
    /// keys keep the network's own initialization and unexpected keys are ignored. Wrong shapes are always an error.
    /// </summary>
    public bool StrictWeights { get; set; } = true;
}
