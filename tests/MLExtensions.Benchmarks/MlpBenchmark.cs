using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Benchmarks;

/// <summary>
/// An MLP 784→256→128→10 (ReLU) with Adam on MNIST-shaped synthetic data, trained (A) through
/// <c>ml.MulticlassClassification.Trainers.TorchMlp(...).Fit</c> on an <see cref="IDataView"/> and (B) by a plain
/// TorchSharp loop on tensors of the same data. Both run interleaved in one process; medians are reported.
/// </summary>
internal sealed class MlpBenchmark
{
    private const int Seed = 42;
    private const int BatchSize = 256;
    private const double LearningRate = 1e-3;
    private static readonly int[] Hidden = [256, 128];

    private readonly bool _quick;
    private readonly int _trainRows;
    private readonly int _testRows;
    private readonly int _epochs;
    private readonly int _repetitions;
    private readonly MLContext _ml = new(seed: Seed);

    private float[] _trainX = [];
    private long[] _trainY = [];
    private float[] _testX = [];
    private long[] _testY = [];
    private IDataView _trainView = null!;
    private IDataView _testView = null!;

    public MlpBenchmark(BenchmarkSettings settings)
    {
        _quick = settings.Quick;
        _trainRows = _quick ? 6_000 : 60_000;
        _testRows = _quick ? 1_000 : 10_000;
        _epochs = _quick ? 1 : 5;
        _repetitions = settings.Repetitions ?? (_quick ? 1 : 7);
    }

    public int Run()
    {
        DescribeEnvironment();
        PrepareData();

        // ---- Interleaved timing: one warm-up of each, then A, B, A, B, ... ----
        Console.WriteLine();
        Console.WriteLine($"Warm-up (not timed for the result): A, then B.");
        var memory = new List<(int Epoch, long WorkingSet)>();
        long workingSetBefore = WorkingSetAfterGc();
        long peakBefore = PeakWorkingSet();
        using (var warmA = RunA(memory))
            Console.WriteLine($"  warm-up A: {warmA.Total.TotalSeconds:F3} s (epochs {warmA.EpochSeconds:F3} s; with a GC after each epoch for the memory figures)");
        long workingSetAfter = WorkingSetAfterGc();
        long peakDuringFit = PeakWorkingSet();
        using (var warmB = RunB(lossItemPerBatch: true))
            Console.WriteLine($"  warm-up B: {warmB.Total.TotalSeconds:F3} s (epochs {warmB.EpochSeconds:F3} s)");

        var runsA = new List<ResultA>();
        var runsB = new List<ResultB>();
        var otherCpuA = new List<double>();
        var otherCpuB = new List<double>();
        try
        {
            for (int r = 1; r <= _repetitions; r++)
            {
                Settle();
                var cpu = OtherCpu.Start();
                var a = RunA(null);
                runsA.Add(a);
                otherCpuA.Add(cpu.Seconds());
                Console.WriteLine($"  rep {r} A: total {a.Total.TotalSeconds:F3} s, epochs {a.EpochSeconds:F3} s, outside epochs {a.OutsideSeconds:F3} s " +
                    $"(before the first {a.BeforeFirstEpoch:F3} s, after the last {a.AfterLastEpoch:F3} s); GC pauses {a.GcPauseTotal:F3} s " +
                    $"({a.GcPauseToFirstEpochEnd:F3} s up to the end of epoch 1); memory first touched up to then {a.PageFaultMiBToFirstEpochEnd:F0} MiB, in epochs 2… {a.PageFaultMiBLaterEpochs:F0} MiB; " +
                    $"other processes used {otherCpuA[^1]:F1} CPU-s");
                Settle();
                cpu = OtherCpu.Start();
                var b = RunB(lossItemPerBatch: true);
                runsB.Add(b);
                otherCpuB.Add(cpu.Seconds());
                Console.WriteLine($"  rep {r} B: total {b.Total.TotalSeconds:F3} s, epochs {b.EpochSeconds:F3} s, tensors+network {b.OutsideSeconds:F3} s; " +
                    $"memory first touched in the epochs {b.EpochPageFaultMiB:F0} MiB; " +
                    $"other processes used {otherCpuB[^1]:F1} CPU-s");
            }

            double aTotal = Median(runsA.Select(a => a.Total.TotalSeconds));
            double aEpochs = Median(runsA.Select(a => a.EpochSeconds));
            double aOutside = Median(runsA.Select(a => a.OutsideSeconds));
            double aBefore = Median(runsA.Select(a => a.BeforeFirstEpoch));
            double aAfter = Median(runsA.Select(a => a.AfterLastEpoch));
            double bTotal = Median(runsB.Select(b => b.Total.TotalSeconds));
            double bEpochs = Median(runsB.Select(b => b.EpochSeconds));
            double bOutside = Median(runsB.Select(b => b.OutsideSeconds));
            Console.WriteLine($"  other processes' CPU time during the timed runs (should be ~0): A {string.Join(", ", otherCpuA.Select(c => c.ToString("F1")))}; " +
                $"B {string.Join(", ", otherCpuB.Select(c => c.ToString("F1")))} CPU-s");

            // ---- Accuracy on the held-out rows, from the last timed run of each ----
            var lastA = runsA[^1];
            var lastB = runsB[^1];
            var (accuracyA, predictedA) = AccuracyA(lastA.Model);
            var (accuracyB, predictedB) = AccuracyB(lastB.Network);
            double agreement = predictedA.Zip(predictedB).Count(p => p.First == p.Second) / (double)_testRows;

            // ---- Where the time goes (profiling, after the main measurements) ----
            Console.WriteLine();
            Console.WriteLine("Profiling:");
            var profile = Profile(lastA.Model);

            double pairedRatio = Median(runsA.Zip(runsB, (a, b) => a.Total.TotalSeconds / b.Total.TotalSeconds));
            double pairedEpochRatio = Median(runsA.Zip(runsB, (a, b) => a.EpochSeconds / b.EpochSeconds));
            PrintSummary(pairedRatio, pairedEpochRatio, aTotal, aEpochs, aOutside, aBefore, aAfter, bTotal, bEpochs, bOutside, runsA, runsB,
                workingSetBefore, memory, workingSetAfter, peakBefore, peakDuringFit, accuracyA, accuracyB, agreement, lastA, lastB, profile);
        }
        finally
        {
            foreach (var a in runsA)
                a.Dispose();
            foreach (var b in runsB)
                b.Dispose();
        }
        return 0;
    }

    // ---------------------------------------------------------------- data

    private void PrepareData()
    {
        var watch = Stopwatch.StartNew();
        var generator = new SyntheticDigits(Seed);
        var (trainX, trainLabels) = generator.Next(_trainRows);
        var (testX, testLabels) = generator.Next(_testRows);
        _trainX = trainX;
        _testX = testX;
        _trainY = trainLabels.Select(l => (long)l).ToArray();
        _testY = testLabels.Select(l => (long)l).ToArray();
        _trainView = DataView(trainX, trainLabels);
        _testView = DataView(testX, testLabels);
        if (!_trainView.GetColumn<uint>("Label").SequenceEqual(trainLabels.Select(l => (uint)l + 1)))
            throw new InvalidOperationException("The data view's label keys do not match the generated classes.");
        Console.WriteLine($"Data: {_trainRows:N0} training rows and {_testRows:N0} held-out rows of {SyntheticDigits.FeatureCount} features, " +
            $"{SyntheticDigits.ClassCount} classes, seed {Seed} (generated in {watch.Elapsed.TotalSeconds:F1} s).");
        Console.WriteLine($"Configuration: MLP {SyntheticDigits.FeatureCount}→{string.Join("→", Hidden)}→{SyntheticDigits.ClassCount} (ReLU), " +
            $"Adam lr {LearningRate:G}, {_epochs} epoch(s), batch {BatchSize}, shuffling on, {_repetitions} timed repetition(s) of each after one warm-up.");
    }

    /// <summary>
    /// The rows as an in-memory data view: Features = Single vector of 784, Label = key with 10 classes. LoadFromEnumerable
    /// takes a key field as the 0-based class index and exposes it as the key 1 … 10 (0 is the missing key); the caller checks that.
    /// </summary>
    private IDataView DataView(float[] features, int[] labels)
    {
        int width = SyntheticDigits.FeatureCount;
        var rows = new DigitRow[labels.Length];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new DigitRow { Features = features.AsSpan(i * width, width).ToArray(), Label = (uint)labels[i] };
        var definition = SchemaDefinition.Create(typeof(DigitRow));
        definition[nameof(DigitRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        definition[nameof(DigitRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), SyntheticDigits.ClassCount);
        return _ml.Data.LoadFromEnumerable(rows, definition);
    }

    private sealed class DigitRow
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    // ---------------------------------------------------------------- A: the ML.NET trainer

    private MlpOptions Options(Action<TorchEpochRecord>? progress) => new()
    {
        HiddenLayerSizes = Hidden,
        Activation = Activation.Relu,
        Optimizer = TorchOptimizer.Adam,
        LearningRate = LearningRate,
        Epochs = _epochs,
        BatchSize = BatchSize,
        Shuffle = true,
        Seed = Seed,
        Device = TorchDevice.Cpu,
        ValidationFraction = 0,
        EarlyStoppingPatience = 0,
        Progress = progress,
    };

    /// <summary>
    /// Times <c>TorchMlp(options).Fit(dataView)</c>. The Progress callback notes when each epoch ended, which splits the
    /// time outside the epochs into before the first epoch (reading the data view into tensors, building the network and
    /// optimizer) and after the last one (ONNX export and the ML.NET scoring chain). With <paramref name="memory"/>, the
    /// callback also collects garbage and records the working set after each epoch (slow, so not in timed runs).
    /// </summary>
    private ResultA RunA(List<(int Epoch, long WorkingSet)>? memory)
    {
        var epochEnds = new List<(long Timestamp, TimeSpan GcPause, long PageFaults)>();
        void Progress(TorchEpochRecord record)
        {
            epochEnds.Add((Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration(), MinorPageFaults()));
            if (memory is not null)
                memory.Add((record.Epoch, WorkingSetAfterGc()));
        }
        var trainer = _ml.MulticlassClassification.Trainers.TorchMlp(Options(Progress));
        var gcPause = GC.GetTotalPauseDuration();
        long faults = MinorPageFaults();
        long start = Stopwatch.GetTimestamp();
        var model = trainer.Fit(_trainView);
        long end = Stopwatch.GetTimestamp();
        var first = epochEnds[0];
        return new ResultA(model, Stopwatch.GetElapsedTime(start, end))
        {
            BeforeFirstEpoch = Stopwatch.GetElapsedTime(start, first.Timestamp).TotalSeconds - model.History[0].Seconds,
            AfterLastEpoch = Stopwatch.GetElapsedTime(epochEnds[^1].Timestamp, end).TotalSeconds,
            GcPauseToFirstEpochEnd = (first.GcPause - gcPause).TotalSeconds,
            GcPauseTotal = (GC.GetTotalPauseDuration() - gcPause).TotalSeconds,
            PageFaultMiBToFirstEpochEnd = (first.PageFaults - faults) * (double)Environment.SystemPageSize / 1048576,
            PageFaultMiBLaterEpochs = (epochEnds[^1].PageFaults - first.PageFaults) * (double)Environment.SystemPageSize / 1048576,
        };
    }

    private sealed class ResultA(NetworkTransformer model, TimeSpan total) : IDisposable
    {
        public NetworkTransformer Model { get; } = model;
        public TimeSpan Total { get; } = total;
        public double EpochSeconds { get; } = model.History.Sum(h => h.Seconds);
        public double OutsideSeconds => Total.TotalSeconds - EpochSeconds;
        public double BeforeFirstEpoch { get; init; }
        public double AfterLastEpoch { get; init; }
        public double GcPauseToFirstEpochEnd { get; init; }
        public double GcPauseTotal { get; init; }
        public double PageFaultMiBToFirstEpochEnd { get; init; }
        public double PageFaultMiBLaterEpochs { get; init; }
        public double FinalLoss => Model.History[^1].TrainLoss;
        public void Dispose() => Model.Dispose();
    }

    private (double Accuracy, int[] Predicted) AccuracyA(NetworkTransformer model)
    {
        var scored = model.Transform(_testView);
        var metrics = _ml.MulticlassClassification.Evaluate(scored);
        var predicted = scored.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();
        return (metrics.MicroAccuracy, predicted);
    }

    // ---------------------------------------------------------------- B: a plain TorchSharp loop

    /// <summary>
    /// The same training written directly against TorchSharp: tensors from the in-memory arrays, the network from
    /// nn.Linear/nn.ReLU, Adam, and per epoch randperm + index_select batches + forward + cross_entropy + backward +
    /// step, every batch in its own dispose scope. With <paramref name="lossItemPerBatch"/> the loss is read back with
    /// <c>item</c> after every batch (as the trainer does); without, it is summed on the tensor side and read once per epoch.
    /// </summary>
    private ResultB RunB(bool lossItemPerBatch)
    {
        var watch = Stopwatch.StartNew();
        long n = _trainRows;
        using var x = tensor(_trainX, [n, SyntheticDigits.FeatureCount]);
        using var y = tensor(_trainY, [n]);

        manual_seed(Seed);
        var network = nn.Sequential(
            ("fc1", nn.Linear(SyntheticDigits.FeatureCount, Hidden[0])),
            ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(Hidden[0], Hidden[1])),
            ("relu2", nn.ReLU()),
            ("fc3", nn.Linear(Hidden[1], SyntheticDigits.ClassCount)));
        using var optimizer = optim.Adam(network.parameters(), LearningRate);
        using var generator = new Generator((ulong)Seed, device: CPU);

        var epochSeconds = new List<double>();
        double lastLoss = double.NaN;
        long faultsBeforeEpochs = MinorPageFaults();
        for (int epoch = 0; epoch < _epochs; epoch++)
        {
            var epochWatch = Stopwatch.StartNew();
            network.train();
            using (NewDisposeScope())
            {
                var order = randperm(n, generator: generator);
                double lossSum = 0;
                var lossTotal = zeros(1);
                for (long start = 0; start < n; start += BatchSize)
                {
                    using var scope = NewDisposeScope();
                    long size = Math.Min(BatchSize, n - start);
                    var index = order.narrow(0, start, size);
                    var xb = x.index_select(0, index);
                    var yb = y.index_select(0, index);
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(network.forward(xb), yb);
                    loss.backward();
                    optimizer.step();
                    if (lossItemPerBatch)
                        lossSum += loss.item<float>() * size;
                    else
                        lossTotal.add_(loss.detach(), alpha: size);
                }
                if (!lossItemPerBatch)
                    lossSum = lossTotal.item<float>();
                lastLoss = lossSum / n;
            }
            epochSeconds.Add(epochWatch.Elapsed.TotalSeconds);
        }
        long faultsInEpochs = MinorPageFaults() - faultsBeforeEpochs;
        network.eval();
        watch.Stop();
        return new ResultB(network, watch.Elapsed, epochSeconds, lastLoss) { EpochPageFaultMiB = faultsInEpochs * (double)Environment.SystemPageSize / 1048576 };
    }

    private sealed class ResultB(nn.Module<Tensor, Tensor> network, TimeSpan total, List<double> epochSeconds, double finalLoss) : IDisposable
    {
        public nn.Module<Tensor, Tensor> Network { get; } = network;
        public TimeSpan Total { get; } = total;
        public IReadOnlyList<double> Epochs { get; } = epochSeconds;
        public double EpochSeconds { get; } = epochSeconds.Sum();
        public double OutsideSeconds => Total.TotalSeconds - EpochSeconds;
        public double FinalLoss { get; } = finalLoss;
        public double EpochPageFaultMiB { get; init; }
        public void Dispose() => Network.Dispose();
    }

    private (double Accuracy, int[] Predicted) AccuracyB(nn.Module<Tensor, Tensor> network)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.eval();
        var x = tensor(_testX, [_testRows, SyntheticDigits.FeatureCount]);
        var y = tensor(_testY, [_testRows]);
        var predicted = network.forward(x).argmax(1);
        long correct = (predicted == y).sum().item<long>();
        return (correct / (double)_testRows, predicted.data<long>().Select(p => (int)p).ToArray());
    }

    // ---------------------------------------------------------------- profiling

    private sealed record ReadStages(double Loop, double Trim, double Tensors, double LoopMiB, double TrimMiB, double TensorsMiB)
    {
        public double Total => Loop + Trim + Tensors;
        public double TotalMiB => LoopMiB + TrimMiB + TensorsMiB;
    }

    private sealed record ProfileResult(double CursorOnly, ReadStages Read, double ScoringSession,
        double BWithItem, double BWithoutItem, double BWithItemEpochs, double BWithoutItemEpochs);

    /// <summary>
    /// Times the pieces of A's time outside the epochs one by one, and B with and without reading the loss back after
    /// every batch. The reading is timed right after a B run, as in the main loop, so that it meets the same state of
    /// memory (after a few seconds of training the runtime has returned the previous Fit's freed buffers to the OS).
    /// </summary>
    private ProfileResult Profile(NetworkTransformer model)
    {
        int reps = _repetitions;
        var cursorOnly = new List<double>();
        var reads = new List<ReadStages>();
        var session = new List<double>();
        var withItem = new List<ResultB>();
        var withoutItem = new List<ResultB>();
        byte[] onnx;
        using (var stream = new MemoryStream())
        {
            model.SaveOnnx(stream);
            onnx = stream.ToArray();
        }

        try
        {
            for (int r = 1; r <= reps; r++)
            {
                // The order of the two B variants alternates so that neither always runs first.
                bool itemFirst = r % 2 == 1;
                Settle();
                (itemFirst ? withItem : withoutItem).Add(RunB(lossItemPerBatch: itemFirst));
                Settle();
                var read = ReadIntoTensors();
                reads.Add(read);
                Settle();
                cursorOnly.Add(Time(CursorOnly));
                Settle();
                session.Add(Time(() => ScoringSession(onnx)));
                Settle();
                (itemFirst ? withoutItem : withItem).Add(RunB(lossItemPerBatch: !itemFirst));
                Console.WriteLine($"  rep {r}: reading as the trainer does {read.Total:F3} s ({read.TotalMiB:F0} MiB first touched); " +
                    $"B in epochs: with loss.item per batch {withItem[^1].EpochSeconds:F3} s, without {withoutItem[^1].EpochSeconds:F3} s");
            }
            var stages = new ReadStages(
                Median(reads.Select(x => x.Loop)), Median(reads.Select(x => x.Trim)), Median(reads.Select(x => x.Tensors)),
                Median(reads.Select(x => x.LoopMiB)), Median(reads.Select(x => x.TrimMiB)), Median(reads.Select(x => x.TensorsMiB)));
            return new ProfileResult(Median(cursorOnly), stages, Median(session),
                Median(withItem.Select(b => b.Total.TotalSeconds)), Median(withoutItem.Select(b => b.Total.TotalSeconds)),
                Median(withItem.Select(b => b.EpochSeconds)), Median(withoutItem.Select(b => b.EpochSeconds)));
        }
        finally
        {
            foreach (var b in withItem.Concat(withoutItem))
                b.Dispose();
        }
    }

    /// <summary>Visits every row's feature vector and label through the cursor, copying nothing.</summary>
    private void CursorOnly()
    {
        var features = _trainView.Schema["Features"];
        var label = _trainView.Schema["Label"];
        using var cursor = _trainView.GetRowCursor([features, label]);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        var getLabel = cursor.GetGetter<uint>(label);
        var buffer = default(VBuffer<float>);
        uint key = 0;
        long rows = 0;
        while (cursor.MoveNext())
        {
            getFeatures(ref buffer);
            getLabel(ref key);
            rows++;
        }
        if (rows != _trainRows)
            throw new InvalidOperationException("Row count mismatch.");
    }

    /// <summary>
    /// What the trainer does to get the data, in three timed stages: (1) the cursor loop, copying every vector into a
    /// float array that doubles when full, checking every value is finite and shifting the key; (2) copying the used
    /// part of the arrays out; (3) building the two tensors (torch.tensor copies the array into native memory).
    /// </summary>
    private ReadStages ReadIntoTensors()
    {
        const int width = SyntheticDigits.FeatureCount;
        var features = _trainView.Schema["Features"];
        var label = _trainView.Schema["Label"];
        long faults0 = MinorPageFaults();
        long t0 = Stopwatch.GetTimestamp();
        var x = new float[width * 1024];
        var y = new long[1024];
        long rows = 0;
        using (var cursor = _trainView.GetRowCursor([features, label]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            var getLabel = cursor.GetGetter<uint>(label);
            var buffer = default(VBuffer<float>);
            uint key = 0;
            while (cursor.MoveNext())
            {
                if ((rows + 1) * width > x.Length)
                    Array.Resize(ref x, 2 * x.Length);
                if (rows == y.Length)
                    Array.Resize(ref y, 2 * y.Length);
                getFeatures(ref buffer);
                var row = x.AsSpan((int)(rows * width), width);
                buffer.CopyTo(row);
                foreach (float v in row)
                    if (!float.IsFinite(v))
                        throw new InvalidDataException("non-finite");
                getLabel(ref key);
                if (key == 0 || key > SyntheticDigits.ClassCount)
                    throw new InvalidDataException("bad key");
                y[rows] = key - 1;
                rows++;
            }
        }
        long t1 = Stopwatch.GetTimestamp();
        long faults1 = MinorPageFaults();
        var xUsed = x.AsSpan(0, (int)(rows * width)).ToArray();
        var yUsed = y.AsSpan(0, (int)rows).ToArray();
        long t2 = Stopwatch.GetTimestamp();
        long faults2 = MinorPageFaults();
        using var inputs = tensor(xUsed, [rows, width]);
        using var targets = tensor(yUsed, [rows]);
        long t3 = Stopwatch.GetTimestamp();
        long faults3 = MinorPageFaults();
        double MiB(long pages) => pages * (double)Environment.SystemPageSize / 1048576;
        return new ReadStages(
            Stopwatch.GetElapsedTime(t0, t1).TotalSeconds, Stopwatch.GetElapsedTime(t1, t2).TotalSeconds, Stopwatch.GetElapsedTime(t2, t3).TotalSeconds,
            MiB(faults1 - faults0), MiB(faults2 - faults1), MiB(faults3 - faults2));
    }

    /// <summary>
    /// Builds an ML.NET ONNX scoring transformer (an ONNX Runtime session) for the trained network, as the trainer's
    /// scoring chain does; it uses the portable ONNX export, which has the same layers.
    /// </summary>
    private void ScoringSession(byte[] onnx)
    {
        var pipeline = _ml.Transforms.CopyColumns("features", "Features")
            .Append(_ml.Transforms.ApplyOnnxModel(["probabilities", "predicted_index"], ["features"], new MemoryStream(onnx)));
        var transformer = pipeline.Fit(_trainView);
        (transformer as IDisposable)?.Dispose();
    }

    // ---------------------------------------------------------------- output

    private void PrintSummary(double pairedRatio, double pairedEpochRatio, double aTotal, double aEpochs, double aOutside, double aBefore, double aAfter,
        double bTotal, double bEpochs, double bOutside, List<ResultA> runsA, List<ResultB> runsB,
        long workingSetBefore, List<(int Epoch, long WorkingSet)> memory, long workingSetAfter, long peakBefore, long peakDuringFit,
        double accuracyA, double accuracyB, double agreement, ResultA lastA, ResultB lastB, ProfileResult p)
    {
        Console.WriteLine();
        Console.WriteLine($"## Results (medians of {_repetitions} interleaved repetition(s))");
        Console.WriteLine();
        double Min(IEnumerable<double> values) => values.Min();
        double aTotalMin = Min(runsA.Select(a => a.Total.TotalSeconds)), aEpochsMin = Min(runsA.Select(a => a.EpochSeconds));
        double bTotalMin = Min(runsB.Select(b => b.Total.TotalSeconds)), bEpochsMin = Min(runsB.Select(b => b.EpochSeconds));
        Console.WriteLine("| measure | median (s) | fastest (s) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| A: TorchMlp Fit, total | {aTotal:F3} | {aTotalMin:F3} |");
        Console.WriteLine($"| A: in epochs (sum of History[i].Seconds) | {aEpochs:F3} | {aEpochsMin:F3} |");
        Console.WriteLine($"| A: outside epochs | {aOutside:F3} | {Min(runsA.Select(a => a.OutsideSeconds)):F3} |");
        Console.WriteLine($"| A: · before the first epoch (reading the IDataView into tensors, network, optimizer) | {aBefore:F3} | {Min(runsA.Select(a => a.BeforeFirstEpoch)):F3} |");
        Console.WriteLine($"| A: · after the last epoch (ONNX export, ML.NET scoring chain) | {aAfter:F3} | {Min(runsA.Select(a => a.AfterLastEpoch)):F3} |");
        Console.WriteLine($"| B: plain TorchSharp loop, total | {bTotal:F3} | {bTotalMin:F3} |");
        Console.WriteLine($"| B: in epochs | {bEpochs:F3} | {bEpochsMin:F3} |");
        Console.WriteLine($"| B: outside epochs (tensors from arrays, network, optimizer) | {bOutside:F3} | {Min(runsB.Select(b => b.OutsideSeconds)):F3} |");
        Console.WriteLine($"| ratio A / B, total | {aTotal / bTotal:F3} | {aTotalMin / bTotalMin:F3} |");
        Console.WriteLine($"| ratio A epochs / B epochs (training loop only) | {aEpochs / bEpochs:F3} | {aEpochsMin / bEpochsMin:F3} |");
        Console.WriteLine($"| median of the per-repetition ratios A / B: total; epochs | {pairedRatio:F3}; {pairedEpochRatio:F3} | |");
        Console.WriteLine();
        Console.WriteLine("All repetitions (s): A " + string.Join(", ", runsA.Select(a => $"{a.Total.TotalSeconds:F3} ({a.EpochSeconds:F3} in epochs)")));
        Console.WriteLine("                     B " + string.Join(", ", runsB.Select(b => $"{b.Total.TotalSeconds:F3} ({b.EpochSeconds:F3} in epochs)")));
        Console.WriteLine("Per-epoch seconds, last repetition: A " + string.Join(", ", lastA.Model.History.Select(h => $"{h.Seconds:F3}")) +
            "; B " + string.Join(", ", lastB.Epochs.Select(s => $"{s:F3}")));
        Console.WriteLine();
        Console.WriteLine("Memory (working set after a full aggressive GC.Collect, warm-up run of A):");
        Console.WriteLine($"  before Fit: {Mb(workingSetBefore)}");
        foreach (var (epoch, ws) in memory)
            Console.WriteLine($"  after epoch {epoch}: {Mb(ws)}");
        if (memory.Count > 0)
            Console.WriteLine($"  first vs last epoch: {Mb(memory[0].WorkingSet)} → {Mb(memory[^1].WorkingSet)} ({(memory[^1].WorkingSet - memory[0].WorkingSet) / 1048576.0:+0.0;-0.0;0.0} MiB)");
        Console.WriteLine($"  after Fit returned and the model was disposed: {Mb(workingSetAfter)}");
        if (peakDuringFit > peakBefore)
            Console.WriteLine($"  peak working set of the process rose from {Mb(peakBefore)} to {Mb(peakDuringFit)} during that Fit");
        else
            Console.WriteLine($"  peak working set of the process: {Mb(peakDuringFit)} (reached before Fit)");
        Console.WriteLine();
        Console.WriteLine($"Held-out accuracy ({_testRows:N0} rows): A {accuracyA:P2} (ml.MulticlassClassification.Evaluate, MicroAccuracy), B {accuracyB:P2} (argmax)");
        Console.WriteLine($"  A and B predict the same class for {agreement:P2} of the held-out rows; final-epoch training loss A {lastA.FinalLoss:F6}, B {lastB.FinalLoss:F6}");
        Console.WriteLine();
        Console.WriteLine("## Profile");
        Console.WriteLine();
        Console.WriteLine("| measure | seconds | memory first touched |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| A before the first epoch (from the main runs) | {aBefore:F3} | {Median(runsA.Select(a => a.PageFaultMiBToFirstEpochEnd)):F0} MiB (to the end of epoch 1) |");
        Console.WriteLine($"| reading the IDataView with a cursor only (getters, no copy) | {p.CursorOnly:F3} | |");
        Console.WriteLine($"| reading it into tensors as the trainer does, total | {p.Read.Total:F3} | {p.Read.TotalMiB:F0} MiB |");
        Console.WriteLine($"| · cursor loop: copy into a doubling array, finite checks, keys | {p.Read.Loop:F3} | {p.Read.LoopMiB:F0} MiB |");
        Console.WriteLine($"| · copying the used part out of the arrays | {p.Read.Trim:F3} | {p.Read.TrimMiB:F0} MiB |");
        Console.WriteLine($"| · torch.tensor from the arrays (a copy into native memory) | {p.Read.Tensors:F3} | {p.Read.TensorsMiB:F0} MiB |");
        Console.WriteLine($"| A after the last epoch (from the main runs) | {aAfter:F3} | |");
        Console.WriteLine($"| · creating an ONNX Runtime scoring transformer for this network | {p.ScoringSession:F3} | |");
        Console.WriteLine($"| GC pauses during A's Fit (median) | {Median(runsA.Select(a => a.GcPauseTotal)):F3} | |");
        Console.WriteLine($"| B with loss.item per batch: total / in epochs | {p.BWithItem:F3} / {p.BWithItemEpochs:F3} | |");
        Console.WriteLine($"| B without loss.item per batch (one per epoch): total / in epochs | {p.BWithoutItem:F3} / {p.BWithoutItemEpochs:F3} | |");
    }

    private void DescribeEnvironment()
    {
        Console.WriteLine($"# MLExtensions benchmark: mlp{(_quick ? " (quick)" : "")}");
        Console.WriteLine($"Runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, " +
            $"{Environment.ProcessorCount} logical processor(s)");
        var torchSharp = typeof(torch).Assembly.GetName().Version;
        Console.WriteLine($"TorchSharp {torchSharp}, libtorch {torch.__version__}, CPU, {torch.get_num_threads()} intra-op thread(s)" +
            $"{(Debugger.IsAttached ? ", DEBUGGER ATTACHED" : "")}");
#if DEBUG
        Console.WriteLine("WARNING: Debug build; run with -c Release for meaningful figures.");
#endif
    }

    // ---------------------------------------------------------------- helpers

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Collects garbage (managed, and the tensors finalizers release) so that one contender does not pay for the other's.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>The working set after a full, compacting, aggressive collection, which also returns freed memory to the OS.</summary>
    private static long WorkingSetAfterGc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Environment.WorkingSet;
    }

    /// <summary>Minor page faults of the process so far (Linux; 0 elsewhere): each is a page of memory touched for the first time.</summary>
    private static long MinorPageFaults()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture); // minflt, field 10 of stat(5)
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:F0} MiB";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
