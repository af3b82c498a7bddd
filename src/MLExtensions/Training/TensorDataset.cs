using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>Inputs and targets of a data set as whole tensors, rows along dimension 0.</summary>
internal sealed class TensorDataset : IDisposable
{
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException("Inputs and targets must have the same number of rows.");
        Inputs = inputs;
        Targets = targets;
    }

    public Tensor Inputs { get; }

    public Tensor Targets { get; }

    public long Count => Inputs.shape[0];

    /// <summary>Copies both tensors to <paramref name="device"/> (the same object when already there).</summary>
    public TensorDataset To(Device device) =>
        Inputs.device == device ? this : new TensorDataset(Inputs.to(device), Targets.to(device));

    /// <summary>The rows at <paramref name="indices"/> (int64, on the same device).</summary>
    public (Tensor Inputs, Tensor Targets) Select(Tensor indices) =>
        (Inputs.index_select(0, indices), Targets.index_select(0, indices));

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
