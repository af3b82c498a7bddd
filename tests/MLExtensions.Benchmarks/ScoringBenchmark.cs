using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks;

/// <summary>
/// Scoring speed on a 64-feature, 10-class task (the shape of scikit-learn's digits, 1,797 rows): rows per second of
/// <c>Transform</c> (row by row through ML.NET's OnnxTransformer for our networks) and of <c>TransformInBatches</c>, and
/// the latency of one <c>PredictionEngine.Predict</c>, for TorchSoftmaxRegression and TorchMlp (one hidden layer of
/// 64, ReLU) against ML.NET's own L-BFGS and SDCA maximum-entropy models. Every model is saved to a zip and loaded
/// first, as a deployed model would be.
/// </summary>
internal sealed class ScoringBenchmark(BenchmarkSettings settings)
{
    private readonly int _repetitions = settings.Repetitions ?? (settings.Quick ? 1 : 5);
    private readonly int _manyRows = settings.Quick ? 20_000 : 200_000;
    private readonly int _predictions = settings.Quick ? 2_000 : 50_000;

    public sealed class DigitRow
    {
        [VectorType(SmallDigits.FeatureCount)]
        public float[] Features { get; set; } = [];

        [KeyType(SmallDigits.ClassCount)]
        public uint Label { get; set; }
    }

    public sealed class DigitPrediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    public int Run()
    {
        Console.WriteLine($"scoring: repetitions {_repetitions}, {_predictions:N0} single predictions, {Environment.ProcessorCount} cores");
        var ml = new MLContext(seed: 1);
        var digits = new SmallDigits(seed: 7);
        var (trainX, trainY) = digits.Next(1_797);
        var (manyX, manyY) = digits.Next(_manyRows);
        // LoadFromEnumerable stores key values 0-based: 0 becomes key 1.
        var train = ml.Data.Cache(ml.Data.LoadFromEnumerable(trainX.Select((f, i) => new DigitRow { Features = f, Label = trainY[i] }).ToArray()));
        var many = ml.Data.Cache(ml.Data.LoadFromEnumerable(manyX.Select((f, i) => new DigitRow { Features = f, Label = manyY[i] }).ToArray()));
        Touch(train);
        Touch(many);

        var contenders = new (string Name, IEstimator<ITransformer> Trainer, bool Ours)[]
        {
            ("ML.NET LbfgsMaximumEntropy", ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), false),
            ("ML.NET SdcaMaximumEntropy", ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), false),
            ("TorchSoftmaxRegression", ml.MulticlassClassification.Trainers.TorchSoftmaxRegression(new LinearOptions { Epochs = 30, LearningRate = 0.01, Device = TorchDevice.Cpu }), true),
            ("TorchMlp [64]", ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions { HiddenLayerSizes = [64], Epochs = 30, LearningRate = 0.01, Device = TorchDevice.Cpu, ValidationFraction = 0, EarlyStoppingPatience = 0 }), true),
        };
        var results = new List<Result>();
        foreach (var (name, trainer, ours) in contenders)
        {
            var loaded = SaveAndLoad(ml, trainer.Fit(train), train.Schema);
            double accuracy = ml.MulticlassClassification.Evaluate(loaded.Transform(many)).MicroAccuracy;
            var result = new Result(name, accuracy,
                RowsPerSecond(() => loaded.Transform(train)), RowsPerSecond(() => loaded.Transform(many)),
                ours ? RowsPerSecond(() => loaded.TransformInBatches(train)) : double.NaN,
                ours ? RowsPerSecond(() => loaded.TransformInBatches(many)) : double.NaN);
            if (ours)
                (result.OnnxP50, _) = OnnxRuntimeLatency(loaded.GetNetwork(), trainX);
            (result.P50, result.P90) = Latency(ml, loaded, trainX);
            results.Add(result);
            Console.WriteLine($"  {name}: accuracy {accuracy:F3}, Transform {result.Transform:N0} / {result.TransformMany:N0} rows/s, " +
                $"batched {result.Batched:N0} / {result.BatchedMany:N0} rows/s, Predict p50 {result.P50:F2} µs, p90 {result.P90:F2} µs, ONNX Runtime alone p50 {result.OnnxP50:F2} µs");
        }

        var lbfgs = results[0];
        Console.WriteLine();
        Console.WriteLine($"| model | held-out accuracy | Transform, 1,797 rows (rows/s) | Transform, {_manyRows:N0} rows (rows/s) | TransformInBatches, 1,797 rows (rows/s) | TransformInBatches, {_manyRows:N0} rows (rows/s) | batched / L-BFGS Transform ({_manyRows:N0}) | Predict p50 (µs) | Predict p90 (µs) | p50 / L-BFGS p50 | ONNX Runtime alone, one row (p50 µs) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Name} | {r.Accuracy:F3} | {r.Transform:N0} | {r.TransformMany:N0} | {Format(r.Batched)} | {Format(r.BatchedMany)} | " +
                $"{(double.IsNaN(r.BatchedMany) ? "" : (r.BatchedMany / lbfgs.TransformMany).ToString("F2"))} | {r.P50:F2} | {r.P90:F2} | {r.P50 / lbfgs.P50:F2} | {(double.IsNaN(r.OnnxP50) ? "" : r.OnnxP50.ToString("F2"))} |");
        return 0;
    }

    private sealed record Result(string Name, double Accuracy, double Transform, double TransformMany, double Batched, double BatchedMany)
    {
        public double P50 { get; set; }

        public double P90 { get; set; }

        public double OnnxP50 { get; set; } = double.NaN;
    }

    private static string Format(double value) => double.IsNaN(value) ? "" : value.ToString("N0");

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-scoring-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, schema, zip);
            return new MLContext(seed: 1).Model.Load(zip, out _);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    /// <summary>Reads every row of a data view once, so that a cache is filled before anything is timed.</summary>
    private static void Touch(IDataView data)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        while (cursor.MoveNext()) { }
    }

    /// <summary>Median rows per second of reading Score and PredictedLabel of every row of a fresh scored view, after a warm-up pass.</summary>
    private double RowsPerSecond(Func<IDataView> scored)
    {
        var rates = new List<double>();
        for (int pass = 0; pass <= _repetitions; pass++)
        {
            Measure.Settle();
            var view = scored();
            var watch = Stopwatch.StartNew();
            using var cursor = view.GetRowCursor([view.Schema["Score"], view.Schema["PredictedLabel"]]);
            var score = cursor.GetGetter<VBuffer<float>>(view.Schema["Score"]);
            var label = cursor.GetGetter<uint>(view.Schema["PredictedLabel"]);
            VBuffer<float> s = default;
            uint l = 0;
            long rows = 0;
            while (cursor.MoveNext())
            {
                score(ref s);
                label(ref l);
                rows++;
            }
            if (pass > 0)
                rates.Add(rows / watch.Elapsed.TotalSeconds);
        }
        return Measure.Median(rates);
    }

    /// <summary>
    /// p50 and p90 in microseconds of one ONNX Runtime <c>Run</c> of the network's standalone model on one row (the
    /// OrtValue API, input and output buffers reused): the floor under any path that calls ONNX Runtime once per row.
    /// </summary>
    private (double P50, double P90) OnnxRuntimeLatency(NetworkTransformer network, float[][] rows)
    {
        using var bytes = new MemoryStream();
        network.SaveOnnx(bytes);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes.ToArray());
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        var input = new float[SmallDigits.FeatureCount];
        using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [1, SmallDigits.FeatureCount]);
        var times = new double[_predictions];
        for (int i = -2_000; i < _predictions; i++)
        {
            rows[(i + 2_000) % rows.Length].CopyTo(input, 0);
            long start = Stopwatch.GetTimestamp();
            using var outputs = session.Run(run, ["features"], [value], ["probabilities", "predicted_index"]);
            long end = Stopwatch.GetTimestamp();
            if (i >= 0)
                times[i] = (end - start) * 1e6 / Stopwatch.Frequency;
        }
        return (Measure.Percentile(times, 0.5), Measure.Percentile(times, 0.9));
    }

    /// <summary>p50 and p90 in microseconds of one Predict call on the training rows in turn, after a warm-up.</summary>
    private (double P50, double P90) Latency(MLContext ml, ITransformer model, float[][] rows)
    {
        using var engine = ml.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(model);
        var input = new DigitRow();
        var output = new DigitPrediction();
        var times = new double[_predictions];
        for (int i = -2_000; i < _predictions; i++)
        {
            input.Features = rows[(i + 2_000) % rows.Length];
            long start = Stopwatch.GetTimestamp();
            engine.Predict(input, ref output);
            long end = Stopwatch.GetTimestamp();
            if (i >= 0)
                times[i] = (end - start) * 1e6 / Stopwatch.Frequency;
        }
        return (Measure.Percentile(times, 0.5), Measure.Percentile(times, 0.9));
    }
}
