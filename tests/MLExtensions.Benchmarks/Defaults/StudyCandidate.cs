using Microsoft.ML;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>The trainer a candidate configures.</summary>
internal enum StudyTrainer
{
    /// <summary>TorchLinearRegression, TorchLogisticRegression or TorchSoftmaxRegression (by task).</summary>
    Linear,
    /// <summary>TorchMlp.</summary>
    Mlp,
    /// <summary>TorchCnn.</summary>
    Cnn,
    /// <summary>TorchRnn.</summary>
    Rnn,
    /// <summary>TorchAttention.</summary>
    Attention,
}

/// <summary>
/// One candidate set of defaults for one trainer: <see cref="Options"/> makes the options for a data set (a candidate
/// may depend on the training-row count, as an automatic batch size would). The trainer is chosen by the set's task.
/// </summary>
internal sealed record StudyCandidate(StudyTrainer Trainer, string Name, string Description, Func<StudySet, TorchTrainerOptions> Options)
{
    /// <summary>Whether this trainer runs on <paramref name="set"/>.</summary>
    public static bool Applies(StudyTrainer trainer, StudySet set) => trainer switch
    {
        StudyTrainer.Linear or StudyTrainer.Mlp => set.Input == StudyInput.Dense && set.ImageSide is 0 or 8,
        StudyTrainer.Cnn => set.ImageSide > 8,
        _ => set.Input == StudyInput.Text || set.StepSize > 0,
    };

    /// <summary>The estimator: the trainer for the set's task, after the words-to-keys steps on text.</summary>
    public IEstimator<ITransformer> Build(MLContext ml, StudySet set)
    {
        var options = Options(set);
        if (options is SequenceTrainerOptions sequence && set.Input == StudyInput.Dense)
            sequence.StepSize = set.StepSize;
        if (options is CnnOptions cnn)
        {
            cnn.ImageHeight = cnn.ImageWidth = set.ImageSide;
            cnn.ImageChannels = 1;
        }
        IEstimator<ITransformer> trainer = (Trainer, set.Task, options) switch
        {
            (StudyTrainer.Linear, StudyTask.Regression, LinearOptions o) => ml.Regression.Trainers.TorchLinearRegression(o),
            (StudyTrainer.Linear, StudyTask.Binary, LinearOptions o) => ml.BinaryClassification.Trainers.TorchLogisticRegression(o),
            (StudyTrainer.Linear, StudyTask.Multiclass, LinearOptions o) => ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(o),
            (StudyTrainer.Mlp, StudyTask.Regression, MlpOptions o) => ml.Regression.Trainers.TorchMlp(o),
            (StudyTrainer.Mlp, StudyTask.Binary, MlpOptions o) => ml.BinaryClassification.Trainers.TorchMlp(o),
            (StudyTrainer.Mlp, StudyTask.Multiclass, MlpOptions o) => ml.MulticlassClassification.Trainers.TorchMlp(o),
            (StudyTrainer.Cnn, StudyTask.Multiclass, CnnOptions o) => ml.MulticlassClassification.Trainers.TorchCnn(o),
            (StudyTrainer.Rnn, StudyTask.Multiclass, RnnOptions o) => ml.MulticlassClassification.Trainers.TorchRnn(o),
            (StudyTrainer.Attention, StudyTask.Multiclass, AttentionOptions o) => ml.MulticlassClassification.Trainers.TorchAttention(o),
            _ => throw new InvalidOperationException($"No {Trainer} trainer for {set.Task} with {options.GetType().Name}."),
        };
        if (set.Input != StudyInput.Text)
            return trainer;
        return ml.Transforms.Text.TokenizeIntoWords("Words", "Sentence")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words"))
            .Append(trainer);
    }
}
