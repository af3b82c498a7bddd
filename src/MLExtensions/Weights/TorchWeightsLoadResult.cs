namespace MLExtensions;

/// <summary>What <see cref="TorchWeights.Load(TorchSharp.torch.nn.Module, string, bool, string?)"/> copied into the module.</summary>
/// <param name="LoadedKeys">Keys copied from the file.</param>
/// <param name="MissingKeys">Keys of the module the file did not have (left as they were; empty when strict).</param>
/// <param name="UnexpectedKeys">Keys of the file the module does not have (ignored; empty when strict).</param>
public sealed record TorchWeightsLoadResult(IReadOnlyList<string> LoadedKeys, IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
