using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// Inputs and targets of a data set as whole tensors, rows along dimension 0. For sequences, <see cref="Lengths"/>
/// says how many steps of each (padded) row are real, so that a batch can be cut to its own longest row.
/// </summary>
internal sealed class TensorDataset : IDisposable
{
    public TensorDataset(Tensor inputs, Tensor targets, SequenceLengths? lengths = null)
    {
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException("Inputs and targets must have the same number of rows.");
        if (lengths is not null && lengths.Steps.Length != inputs.shape[0])
            throw new ArgumentException("There must be one sequence length per row.");
        Inputs = inputs;
        Targets = targets;
        Lengths = lengths;
    }

    public Tensor Inputs { get; }

    public Tensor Targets { get; }

    /// <summary>The real steps of every row, for sequence inputs; null for fixed-size rows.</summary>
    public SequenceLengths? Lengths { get; }

    public long Count => Inputs.shape[0];

    /// <summary>Copies both tensors to <paramref name="device"/> (the same object when already there).</summary>
    public TensorDataset To(Device device) =>
        Inputs.device == device ? this : new TensorDataset(Inputs.to(device), Targets.to(device), Lengths);

    /// <summary>The rows at <paramref name="indices"/> (int64, on the same device).</summary>
    public (Tensor Inputs, Tensor Targets) Select(Tensor indices) =>
        (Inputs.index_select(0, indices), Targets.index_select(0, indices));

    /// <summary>The rows at <paramref name="indices"/> (int64, on the CPU) as a data set of their own, lengths included.</summary>
    public TensorDataset Subset(Tensor indices)
    {
        var (inputs, targets) = Select(indices);
        return new TensorDataset(inputs, targets, Lengths?.Select(indices.data<long>().ToArray()));
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// The real steps of every row of a padded sequence data set, and how a batch is cut to its longest row: the inputs
/// hold <see cref="ValuesPerStep"/> values per step along dimension 1, per-step targets one value per step.
/// </summary>
internal sealed class SequenceLengths(int[] steps, int valuesPerStep, bool perStepTargets)
{
    public int[] Steps { get; } = steps;

    public int ValuesPerStep { get; } = valuesPerStep;

    public bool PerStepTargets { get; } = perStepTargets;

    public SequenceLengths Select(long[] rows) =>
        new(Array.ConvertAll(rows, r => Steps[r]), ValuesPerStep, PerStepTargets);

    /// <summary>The longest of <paramref name="rows"/>.</summary>
    public int Longest(ReadOnlySpan<long> rows)
    {
        int longest = 0;
        foreach (long r in rows)
            longest = Math.Max(longest, Steps[r]);
        return longest;
    }

    /// <summary>The longest of the <paramref name="count"/> rows from <paramref name="first"/> on.</summary>
    public int Longest(long first, long count) => Steps.AsSpan((int)first, (int)count).ToArray().Max();

    /// <summary>A batch cut to <paramref name="steps"/> steps (views, no copy).</summary>
    public (Tensor Inputs, Tensor Targets) Trim(Tensor inputs, Tensor targets, int steps)
    {
        long width = (long)steps * ValuesPerStep;
        if (inputs.shape[1] > width)
            inputs = inputs.narrow(1, 0, width);
        if (PerStepTargets && targets.shape[1] > steps)
            targets = targets.narrow(1, 0, steps);
        return (inputs, targets);
    }
}
