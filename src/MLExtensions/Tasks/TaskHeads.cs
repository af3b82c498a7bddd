using MLExtensions.Persistence;

namespace MLExtensions.Tasks;

/// <summary>The task heads a saved model can name, and how each is rebuilt from the model's metadata.</summary>
internal static class TaskHeads
{
    private static readonly Dictionary<string, Func<ModelMetadata, TaskHead>> Restorers = new(StringComparer.Ordinal)
    {
        [RegressionHead.TaskName] = RegressionHead.Restore,
        [BinaryClassificationHead.TaskName] = BinaryClassificationHead.Restore,
        [MulticlassClassificationHead.TaskName] = MulticlassClassificationHead.Restore,
        [SequenceTaggingHead.TaskName] = SequenceTaggingHead.Restore,
        [StepRegressionHead.TaskName] = StepRegressionHead.Restore,
    };

    /// <summary>Adds a task (used by tests to show that a new task needs nothing else).</summary>
    public static void Register(string name, Func<ModelMetadata, TaskHead> restore)
    {
        lock (Restorers)
            Restorers[name] = restore;
    }

    /// <summary>The bound head a saved model was trained with.</summary>
    public static TaskHead Restore(ModelMetadata metadata)
    {
        string name = metadata.Task;
        Func<ModelMetadata, TaskHead>? restore;
        lock (Restorers)
            Restorers.TryGetValue(name, out restore);
        return restore?.Invoke(metadata)
            ?? throw new InvalidDataException($"The model was trained for the task '{name}', which this version of MLExtensions does not know.");
    }
}
