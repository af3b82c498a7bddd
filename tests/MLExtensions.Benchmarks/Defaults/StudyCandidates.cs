namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// The candidates of the study, per trainer. "defaults" is what the options classes give (the chosen defaults, from
/// <c>TrainerDefaults</c>); every other candidate changes the named settings from there, and "old" is the defaults
/// before the study. "es" means validation on a held-out fraction of the training rows with early stopping and the best
/// epoch's weights restored.
/// </summary>
internal static class StudyCandidates
{
    public static IReadOnlyList<StudyCandidate> All { get; } = [.. Linear(), .. Mlp(), .. Cnn(), .. Rnn(), .. Attention()];

    private static IEnumerable<StudyCandidate> Linear()
    {
        StudyCandidate L(string name, string description, Action<LinearOptions> change) =>
            new(StudyTrainer.Linear, name, description, _ => Apply(new LinearOptions(), change));
        yield return L("defaults", "L-BFGS, at most 100 iterations, L2 1e-3", _ => { });
        yield return L("old: L2 0", "no L2 penalty (the default before the study)", o => o.WeightDecay = 0);
        yield return L("L2 1e-4", "L2 1e-4", o => o.WeightDecay = 1e-4);
        yield return L("L2 1e-2", "L2 1e-2", o => o.WeightDecay = 1e-2);
        yield return L("iterations 30", "at most 30 L-BFGS iterations", o => o.Epochs = 30);
        yield return L("iterations 300", "at most 300 L-BFGS iterations", o => o.Epochs = 300);
        yield return L("Adam", "mini-batch Adam, lr 0.01, 100 epochs, the automatic batch size, instead of L-BFGS",
            o => o.Optimizer = TorchOptimizer.Adam);
    }

    private static IEnumerable<StudyCandidate> Mlp()
    {
        StudyCandidate M(string name, string description, Action<MlpOptions, StudySet> change) =>
            new(StudyTrainer.Mlp, name, description, set => Apply(new MlpOptions(), o => change(o, set)));
        yield return M("defaults", "hidden 128, ≤ 100 epochs, lr 1e-3, automatic batch, L2 1e-4, es (10 %, patience 10)", (_, _) => { });
        yield return M("old: h64 e20 b32", "hidden 64, 20 epochs, batch 32, no L2, no validation (the defaults before the study)",
            (o, _) => { o.HiddenLayerSizes = [64]; o.Epochs = 20; o.BatchSize = 32; o.WeightDecay = 0; NoValidation(o); });
        yield return M("sklearn-like", "hidden 100, batch min(200, rows) (scikit-learn's MLP defaults, with es)",
            (o, s) => { o.HiddenLayerSizes = [100]; o.BatchSize = Math.Min(200, s.TrainRows); });
        yield return M("hidden 64", "hidden 64", (o, _) => o.HiddenLayerSizes = [64]);
        yield return M("hidden 256", "hidden 256", (o, _) => o.HiddenLayerSizes = [256]);
        yield return M("hidden 128, 64", "two hidden layers, 128 and 64", (o, _) => o.HiddenLayerSizes = [128, 64]);
        yield return M("lr 3e-3", "lr 3e-3", (o, _) => o.LearningRate = 3e-3);
        yield return M("lr 3e-4", "lr 3e-4", (o, _) => o.LearningRate = 3e-4);
        yield return M("batch 32", "batch 32 at every size", (o, _) => o.BatchSize = 32);
        yield return M("batch min(200, rows)", "batch min(200, rows)", (o, s) => o.BatchSize = Math.Min(200, s.TrainRows));
        yield return M("batch rows/20 in [32, 256]", "batch rows/20 within [32, 256]", (o, s) => o.BatchSize = Auto(s, 20, 32, 256));
        yield return M("L2 0", "no weight decay", (o, _) => o.WeightDecay = 0);
        yield return M("L2 1e-3", "L2 1e-3", (o, _) => o.WeightDecay = 1e-3);
        yield return M("dropout 0.1", "dropout 0.1", (o, _) => o.Dropout = 0.1);
        yield return M("dropout 0.2", "dropout 0.2", (o, _) => o.Dropout = 0.2);
        yield return M("patience 5", "patience 5", (o, _) => o.EarlyStoppingPatience = 5);
        yield return M("patience 20", "patience 20", (o, _) => o.EarlyStoppingPatience = 20);
        yield return M("validation 0.2", "20 % validation rows", (o, _) => o.ValidationFraction = 0.2);
        yield return M("no restore", "keeping the last epoch's weights", (o, _) => o.RestoreBestWeights = false);
        yield return M("no validation, 50 epochs", "every row trains, 50 epochs", (o, _) => { NoValidation(o); o.Epochs = 50; });
        yield return M("at most 200 epochs", "at most 200 epochs", (o, _) => o.Epochs = 200);
    }

    private static IEnumerable<StudyCandidate> Cnn()
    {
        StudyCandidate C(string name, string description, Action<CnnOptions> change) =>
            new(StudyTrainer.Cnn, name, description, _ => Apply(new CnnOptions(), change));
        yield return C("defaults", "LeNet, dropout 0.25, ≤ 50 epochs, lr 1e-3, automatic batch, es (10 %, patience 5)", _ => { });
        yield return C("old: e20 b32", "20 epochs, batch 32, no dropout, no validation (the defaults before the study)",
            o => { o.Epochs = 20; o.BatchSize = 32; o.Dropout = 0; NoValidation(o); });
        yield return C("patience 10", "patience 10", o => o.EarlyStoppingPatience = 10);
        yield return C("lr 3e-3", "lr 3e-3", o => o.LearningRate = 3e-3);
        yield return C("batch 32", "batch 32", o => o.BatchSize = 32);
        yield return C("L2 1e-4", "L2 1e-4", o => o.WeightDecay = 1e-4);
        yield return C("no dropout", "no dropout", o => o.Dropout = 0);
    }

    private static IEnumerable<StudyCandidate> Rnn()
    {
        StudyCandidate R(string name, string description, Action<RnnOptions> change) =>
            new(StudyTrainer.Rnn, name, description, _ => Apply(new RnnOptions(), change));
        yield return R("defaults", "LSTM 64, embedding 32, ≤ 50 epochs, lr 1e-3, automatic batch, es (10 %, patience 5)", _ => { });
        yield return R("old: e20 b32", "20 epochs, batch 32, no validation", o => { o.Epochs = 20; o.BatchSize = 32; NoValidation(o); });
        yield return R("patience 10", "patience 10", o => o.EarlyStoppingPatience = 10);
        yield return R("lr 3e-3", "lr 3e-3", o => o.LearningRate = 3e-3);
        yield return R("batch 32", "batch 32", o => o.BatchSize = 32);
        yield return R("GRU", "GRU cell", o => o.Cell = RnnCell.Gru);
        yield return R("L2 1e-4", "L2 1e-4", o => o.WeightDecay = 1e-4);
        yield return R("mean readout", "mean over steps instead of the last state", o => o.Readout = SequenceReadout.Mean);
    }

    private static IEnumerable<StudyCandidate> Attention()
    {
        StudyCandidate A(string name, string description, Action<AttentionOptions> change) =>
            new(StudyTrainer.Attention, name, description, _ => Apply(new AttentionOptions(), change));
        yield return A("defaults", "d 64, 4 heads, 2 layers, ff 128, dropout 0.3, ≤ 50 epochs, lr 1e-3, automatic batch, es (10 %, patience 5)", _ => { });
        yield return A("old: e20 b32", "20 epochs, batch 32, dropout 0.1, no validation", o => { o.Epochs = 20; o.BatchSize = 32; o.Dropout = 0.1; NoValidation(o); });
        yield return A("patience 10", "patience 10", o => o.EarlyStoppingPatience = 10);
        yield return A("dropout 0.1", "dropout 0.1", o => o.Dropout = 0.1);
        yield return A("L2 1e-3", "L2 1e-3", o => o.WeightDecay = 1e-3);
        yield return A("class token", "class-token pooling", o => o.Pooling = AttentionPooling.ClassToken);
        yield return A("1 layer", "1 layer", o => o.Layers = 1);
        yield return A("d 32, 1 layer", "d 32, 1 layer, ff 64", o => { o.ModelDimension = 32; o.Layers = 1; o.FeedForwardSize = 64; });
        yield return A("batch 32", "batch 32", o => o.BatchSize = 32);
        yield return A("lr 3e-3", "lr 3e-3", o => o.LearningRate = 3e-3);
        yield return A("lr 3e-4, warm-up 2", "lr 3e-4 with 2 warm-up epochs", o => { o.LearningRate = 3e-4; o.WarmupEpochs = 2; });
    }

    private static void NoValidation(TorchTrainerOptions o)
    {
        o.ValidationFraction = 0;
        o.EarlyStoppingPatience = 0;
    }

    /// <summary>A batch rule: the training rows (after 10 % validation) / <paramref name="divisor"/>, within [low, high].</summary>
    private static int Auto(StudySet s, int divisor, int low, int high) => Math.Clamp((int)(0.9 * s.TrainRows) / divisor, low, high);

    private static T Apply<T>(T options, Action<T> change)
    {
        change(options);
        return options;
    }
}
