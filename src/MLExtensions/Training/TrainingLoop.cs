using System.Diagnostics;
using MLExtensions.Networks;
using MLExtensions.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// The one training loop behind every trainer, as small steps: <see cref="Run"/> goes over the epochs (schedule,
/// validation, early stopping with the best weights restored, history and progress); <see cref="TrainEpoch"/> over the
/// shuffled batches; <see cref="TrainBatch"/> does forward, loss, backward, clipping and the optimizer step. With
/// <see cref="TorchOptimizer.Lbfgs"/> an epoch is one full-batch L-BFGS iteration instead (<see cref="LbfgsEpoch"/>).
/// A loss that is not finite stops training at once. Every temporary tensor lives in a dispose scope, so memory stays
/// flat across epochs.
/// </summary>
internal sealed class TrainingLoop(NetworkModule network, TorchTrainerOptions options, TaskHead task, TrainingLog log, TrainingHooks hooks)
{
    /// <summary>Relative loss change below which full-batch L-BFGS stops.</summary>
    internal const double LbfgsTolerance = 1e-7;

    public IReadOnlyList<TorchEpochRecord> Run(IBatchSource train, IBatchSource? validation)
    {
        var history = new List<TorchEpochRecord>();
        bool lbfgs = options.Optimizer == TorchOptimizer.Lbfgs;
        using var optimizer = lbfgs ? null : OptimizerFactory.Create(hooks.ParameterGroups ?? [new(network.parameters(), 1)], options);
        using var quasiNewton = lbfgs ? new Lbfgs(network.parameters()) : null;
        using var generator = new Generator((ulong)options.Seed, device: CPU);
        Dictionary<string, Tensor>? best = null;
        double bestLoss = double.PositiveInfinity;
        int epochsWithoutImprovement = 0;
        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                hooks.BeforeEpoch?.Invoke(epoch);
                double learningRate = LearningRatePlan.ForEpoch(options, epoch);
                network.train();
                double trainLoss;
                if (quasiNewton is not null)
                    trainLoss = LbfgsEpoch(quasiNewton, train, epoch);
                else
                {
                    OptimizerFactory.SetLearningRate(optimizer!, learningRate);
                    trainLoss = TrainEpoch(optimizer!, train, generator, epoch);
                }

                double? validationLoss = null, validationMetric = null;
                if (validation is not null)
                {
                    (validationLoss, validationMetric) = Evaluate(network, validation, task, options.BatchSize);
                    if (!double.IsFinite(validationLoss.Value))
                        throw new TrainingDivergedException(log.Name, epoch + 1, null, validationLoss.Value, validation: true);
                }

                var record = new TorchEpochRecord(epoch + 1, trainLoss, validationLoss, validationMetric,
                    task.MetricName, lbfgs ? 0 : learningRate, watch.Elapsed.TotalSeconds);
                history.Add(record);
                log.Info(record.ToString());
                options.Progress?.Invoke(record);

                if (validationLoss is double current)
                {
                    if (current < bestLoss - options.EarlyStoppingMinDelta)
                    {
                        bestLoss = current;
                        epochsWithoutImprovement = 0;
                        if (options.RestoreBestWeights)
                            best = Snapshot(network, best);
                    }
                    else if (options.EarlyStoppingPatience > 0 && ++epochsWithoutImprovement >= options.EarlyStoppingPatience)
                    {
                        log.Info(FormattableString.Invariant($"Early stopping after epoch {epoch + 1}: no improvement for {epochsWithoutImprovement} epochs."));
                        break;
                    }
                }
                if (quasiNewton?.Converged == true)
                {
                    log.Info(FormattableString.Invariant($"L-BFGS converged after {epoch + 1} iterations."));
                    break;
                }
            }

            if (best is not null)
            {
                using var _ = no_grad();
                network.load_state_dict(best);
                log.Info(FormattableString.Invariant($"Restored the weights of the epoch with the lowest validation loss ({bestLoss:G6})."));
            }
        }
        finally
        {
            if (best is not null)
                foreach (var t in best.Values)
                    t.Dispose();
        }
        network.eval();
        return history;
    }

    /// <summary>One pass over the shuffled training batches; returns the mean loss in the task's reporting units.</summary>
    private double TrainEpoch(optim.Optimizer optimizer, IBatchSource train, Generator generator, int epoch)
    {
        double lossSum = 0, countSum = 0;
        long batch = 0;
        foreach (var load in train.Batches(options.BatchSize, options.Shuffle ? generator : null))
        {
            log.CheckAlive();
            using var scope = NewDisposeScope();
            var (x, y) = load();
            batch++;
            double loss = TrainBatch(optimizer, x, y, generator);
            if (!double.IsFinite(loss))
                throw new TrainingDivergedException(log.Name, epoch + 1, batch, loss, validation: false);
            double count = task.Count(y);
            lossSum += loss * count;
            countSum += count;
        }
        return lossSum / countSum * task.LossScale;
    }

    /// <summary>Forward, loss, backward, gradient clipping and the optimizer step on one batch; returns the batch's loss.</summary>
    private double TrainBatch(optim.Optimizer optimizer, Tensor x, Tensor y, Generator generator)
    {
        if (hooks.Augment is not null)
            x = hooks.Augment(x, generator);
        optimizer.zero_grad();
        var loss = task.Loss(network.forward(x), y);
        loss.backward();
        if (options.GradientClipNorm > 0)
            nn.utils.clip_grad_norm_(network.parameters(), options.GradientClipNorm);
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>One full-batch L-BFGS iteration (with <see cref="TorchTrainerOptions.WeightDecay"/> as L2 on the weights); returns the loss.</summary>
    private double LbfgsEpoch(Lbfgs optimizer, IBatchSource train, int epoch)
    {
        log.CheckAlive();
        double loss = optimizer.Iterate(() => FullBatchLossAndGradient(train), LbfgsTolerance);
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(log.Name, epoch + 1, null, loss, validation: false);
        return loss * task.LossScale;
    }

    /// <summary>The mean loss over all training rows (plus the L2 term), its gradient left in the parameters.</summary>
    private double FullBatchLossAndGradient(IBatchSource train)
    {
        using var scope = NewDisposeScope();
        network.zero_grad();
        var chunks = new List<(double Loss, double Count)>();
        double total = 0;
        foreach (var load in train.Batches(Math.Max(options.BatchSize, 8192), shuffle: null))
        {
            using var batchScope = NewDisposeScope();
            var (x, y) = load();
            double count = task.Count(y);
            var loss = task.Loss(network.forward(x), y) * count;
            loss.backward();
            chunks.Add((loss.item<float>(), count));
            total += count;
        }
        double value = chunks.Sum(c => c.Loss) / total;
        foreach (var p in network.parameters())
            p.grad?.div_(total);
        if (options.WeightDecay > 0)
        {
            var weights = network.parameters().Where(p => p.dim() > 1).ToArray();
            var penalty = weights.Select(w => w.square().sum()).Aggregate((a, b) => a + b) * (options.WeightDecay / 2);
            penalty.backward();
            value += penalty.item<float>();
        }
        return value;
    }

    /// <summary>Mean loss (in the task's reporting units) and metric of <paramref name="data"/> in evaluation mode.</summary>
    public static (double Loss, double Metric) Evaluate(nn.Module<Tensor, Tensor> network, IBatchSource data, TaskHead task, int batchSize)
    {
        network.eval();
        using var _ = no_grad();
        double lossSum = 0, metricSum = 0, countSum = 0;
        foreach (var load in data.Batches(Math.Max(batchSize, 1024), shuffle: null))
        {
            using var scope = NewDisposeScope();
            var (x, y) = load();
            var output = network.forward(x);
            double count = task.Count(y);
            lossSum += task.Loss(output, y).item<float>() * count;
            metricSum += task.MetricSum(output, y);
            countSum += count;
        }
        return (lossSum / countSum * task.LossScale, task.FinishMetric(metricSum, countSum));
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module network, Dictionary<string, Tensor>? previous)
    {
        if (previous is not null)
            foreach (var t in previous.Values)
                t.Dispose();
        var copy = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in network.state_dict())
            copy[name] = tensor.detach().clone();
        return copy;
    }
}
