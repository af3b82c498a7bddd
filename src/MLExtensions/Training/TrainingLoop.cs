using System.Diagnostics;
using MLExtensions.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// The one training loop behind every trainer: seeded shuffling, mini-batches, forward, loss, backward,
/// gradient clipping, optimizer step, learning-rate schedule, validation, early stopping with the best
/// weights restored, history and progress. Every temporary tensor lives in a dispose scope, so memory stays
/// flat across epochs.
/// </summary>
internal static class TrainingLoop
{
    public static IReadOnlyList<TorchEpochRecord> Run(
        nn.Module<Tensor, Tensor> network, TensorDataset train, TensorDataset? validation,
        TorchTrainerOptions options, TaskHead task, Device device, TrainingLog log)
    {
        var history = new List<TorchEpochRecord>();
        using var optimizer = OptimizerFactory.Create(network.parameters(), options);
        using var generator = new Generator((ulong)options.Seed, device: CPU);
        Dictionary<string, Tensor>? best = null;
        double bestLoss = double.PositiveInfinity;
        int epochsWithoutImprovement = 0;
        long n = train.Count;

        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                double learningRate = LearningRatePlan.ForEpoch(options, epoch);
                OptimizerFactory.SetLearningRate(optimizer, learningRate);
                network.train();

                double lossSum = 0, countSum = 0;
                using (var order = options.Shuffle ? randperm(n, generator: generator) : arange(n, dtype: int64))
                using (var orderOnDevice = order.to(device))
                {
                    for (long start = 0; start < n; start += options.BatchSize)
                    {
                        log.CheckAlive();
                        using var scope = NewDisposeScope();
                        long size = Math.Min(options.BatchSize, n - start);
                        var (x, y) = train.Select(orderOnDevice.narrow(0, start, size));
                        optimizer.zero_grad();
                        var loss = task.Loss(network.forward(x), y);
                        loss.backward();
                        if (options.GradientClipNorm > 0)
                            nn.utils.clip_grad_norm_(network.parameters(), options.GradientClipNorm);
                        optimizer.step();
                        double count = task.Count(y);
                        lossSum += loss.item<float>() * count;
                        countSum += count;
                    }
                }

                double? validationLoss = null, validationMetric = null;
                if (validation is not null)
                    (validationLoss, validationMetric) = Evaluate(network, validation, task, options.BatchSize);

                var record = new TorchEpochRecord(epoch + 1, lossSum / countSum, validationLoss, validationMetric,
                    task.MetricName, learningRate, watch.Elapsed.TotalSeconds);
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

    /// <summary>Mean loss and metric of <paramref name="data"/> in evaluation mode, batch by batch.</summary>
    public static (double Loss, double Metric) Evaluate(nn.Module<Tensor, Tensor> network, TensorDataset data, TaskHead task, int batchSize)
    {
        network.eval();
        using var _ = no_grad();
        double lossSum = 0, metricSum = 0, countSum = 0;
        long n = data.Count;
        int step = Math.Max(batchSize, 1024);
        for (long start = 0; start < n; start += step)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(step, n - start);
            var x = data.Inputs.narrow(0, start, size);
            var y = data.Targets.narrow(0, start, size);
            var output = network.forward(x);
            double count = task.Count(y);
            lossSum += task.Loss(output, y).item<float>() * count;
            metricSum += task.MetricSum(output, y);
            countSum += count;
        }
        return (lossSum / countSum, task.FinishMetric(metricSum, countSum));
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
