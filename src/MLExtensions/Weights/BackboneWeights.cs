using MLExtensions.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Weights;

/// <summary>
/// Loads <see cref="PretrainedWeights"/> into an <see cref="ImageBackbone"/>: every key of the backbone must be in the
/// file with the same shape (batch norm's <c>num_batches_tracked</c> counters may be absent), and the file may hold
/// nothing else besides torchvision's classifier (<c>fc.*</c> or <c>classifier.*</c>, skipped: the head is new) and a
/// <c>module.</c> prefix on every key (what <c>DataParallel</c> saves). Otherwise nothing is copied and a
/// <see cref="StateDictMismatchException"/> lists the missing, unexpected and wrongly-shaped keys.
/// </summary>
internal static class BackboneWeights
{
    private const string Counter = ".num_batches_tracked";

    /// <summary>Loads a state_dict file into the backbone; returns the normalization the weights expect and a description.</summary>
    public static (PixelNormalization Normalization, string Description) Load(ImageBackbone backbone, PretrainedWeights weights)
    {
        var normalization = PixelNormalization.MeanStd(weights.Mean, weights.Std);
        var stateDict = TorchWeights.Read(weights.Path, weights.Entry);
        try
        {
            var result = LoadInto(backbone, stateDict, $"'{weights.Path}'");
            return (normalization, $"{result.LoadedKeys.Count} tensors from '{weights.Path}'; input normalization {normalization.Description}");
        }
        finally
        {
            foreach (var t in stateDict.Values)
                t.Dispose();
        }
    }

    /// <summary>Checks every key and shape, then copies; on a mismatch nothing is copied.</summary>
    public static TorchWeightsLoadResult LoadInto(ImageBackbone backbone, IReadOnlyDictionary<string, Tensor> file, string source)
    {
        if (file.Count > 0 && file.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal)))
            file = file.ToDictionary(p => p.Key["module.".Length..], p => p.Value, StringComparer.Ordinal);
        var skipped = file.Keys.Where(k => k.StartsWith(backbone.ClassifierPrefix, StringComparison.Ordinal)).ToList();
        using var scope = torch.NewDisposeScope();
        var target = backbone.state_dict();
        var missing = target.Keys.Where(k => !file.ContainsKey(k) && !k.EndsWith(Counter, StringComparison.Ordinal)).ToList();
        var unexpected = file.Keys.Where(k => !target.ContainsKey(k) && !skipped.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = target.Where(t => file.TryGetValue(t.Key, out var s) && !s.shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key}: file {TorchOnnxValue.FormatShape(file[t.Key].shape)}, module {TorchOnnxValue.FormatShape(t.Value.shape)}")
            .ToList();
        if (missing.Count + unexpected.Count + shapes.Count > 0)
            throw new StateDictMismatchException($"{source} for the {backbone.GetName()} backbone (torchvision's key names; " +
                $"the classifier '{backbone.ClassifierPrefix}*' is skipped)", missing, unexpected, shapes,
                "(is it the weights of another architecture? Pick the VisionBackbone they were trained as.)");

        var loaded = new List<string>();
        using (torch.no_grad())
        {
            foreach (var (key, tensor) in target)
            {
                if (file.TryGetValue(key, out var value))
                {
                    tensor.copy_(value);
                    loaded.Add(key);
                }
            }
        }
        return new TorchWeightsLoadResult(loaded, [], skipped);
    }
}
