using TorchSharp.Modules;

namespace MLExtensions.Training;

/// <summary>Parameters that train at <c>LearningRate × LearningRateFactor</c> (see <see cref="OptimizerFactory"/>).</summary>
internal sealed record ParameterGroup(IEnumerable<Parameter> Parameters, double LearningRateFactor);
