using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>
/// The study behind the trainers' defaults (docs/defaults.md): generated data sets of different kinds, ML.NET's own
/// trainers with their defaults as reference rows, and candidate defaults per trainer; each candidate is fitted on every
/// set it applies to and scored on the set's held-out rows (R² for regression, accuracy for classification; the mean
/// over a set's replicates). Prints one table per trainer and a summary of how far each candidate is from the best
/// candidate on each set.
/// </summary>
internal sealed class DefaultsStudy(BenchmarkSettings settings)
{
    private const int Seed = 7;
    private readonly MLContext _ml = new(seed: 1);

    private sealed record Score(double Metric, double Seconds, double Epochs, string? Error = null);

    public int Run()
    {
        var watch = Stopwatch.StartNew();
        var sets = CreateSets().Where(s => Selected(settings.Sets, s.Key)).ToArray();
        Console.WriteLine($"Data sets generated in {watch.Elapsed.TotalSeconds:F1} s:");
        Console.WriteLine();
        Console.WriteLine("| set | what | task | training rows | test rows | replicates | label |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---|");
        foreach (var s in sets)
            Console.WriteLine($"| {s.Key} | {s.Description} | {s.Task} | {s.TrainRows:N0} | {s.TestRows:N0} | {s.Replicates.Count} | {LabelSummary(s)} |");

        var trainers = Enum.GetValues<StudyTrainer>().Where(t => Selected(settings.Trainers, t.ToString())).ToArray();
        var references = new Dictionary<(string, string), Score>();
        if (!settings.NoReferences)
            foreach (var set in sets)
                foreach (var reference in StudyReferences.All.Where(r => r.Applies(set)))
                {
                    var score = Evaluate(set, () => reference.Build(_ml, set), null);
                    references[(reference.Name, set.Key)] = score;
                    Report(reference.Name, set, score);
                }

        var results = new Dictionary<(StudyTrainer, string, string), Score>();
        foreach (var trainer in trainers)
            foreach (var candidate in StudyCandidates.All.Where(c => c.Trainer == trainer && Selected(settings.Candidates, c.Name)))
                foreach (var set in sets.Where(s => StudyCandidate.Applies(trainer, s)))
                {
                    var score = Evaluate(set, () => candidate.Build(_ml, set), candidate);
                    results[(trainer, candidate.Name, set.Key)] = score;
                    Report($"{trainer} {candidate.Name}", set, score);
                }

        foreach (var trainer in trainers)
            PrintTable(trainer, sets.Where(s => StudyCandidate.Applies(trainer, s)).ToArray(), references, results);
        Console.WriteLine();
        Console.WriteLine($"Total {watch.Elapsed.TotalMinutes:F1} min.");
        return 0;
    }

    private IEnumerable<StudySet> CreateSets()
    {
        bool q = settings.Quick;
        yield return HousingLikeSet.Create(_ml, q ? 200 : 400, q ? 200 : 2_000, q ? 1 : 3, Seed);
        yield return MedicalLikeSet.Create(_ml, q ? 200 : 455, q ? 200 : 2_000, q ? 1 : 3, Seed + 1);
        var (digits, images) = DigitSets.Create(_ml, q ? 500 : 3_823, q ? 300 : 1_797, Seed + 2);
        yield return digits;
        yield return images;
        yield return BlendedDigitsSet.Create(_ml, q ? 500 : 3_000, q ? 300 : 1_000, Seed + 6);
        yield return FriedmanLargeSet.Create(_ml, q ? 2_000 : 60_000, q ? 1_000 : 10_000, Seed + 3);
        yield return NoisySmallSet.Create(_ml, 300, q ? 500 : 5_000, q ? 1 : 3, Seed + 4);
        yield return TopicSentencesSet.Create(_ml, q ? 500 : 3_000, q ? 300 : 2_000, q ? 1 : 3, Seed + 5);
    }

    /// <summary>Mean ± σ of a regression label, the positive share of a binary one, the class count otherwise (first replicate's training rows).</summary>
    private static string LabelSummary(StudySet set)
    {
        var train = set.Replicates[0].Train;
        switch (set.Task)
        {
            case StudyTask.Regression:
                var y = train.GetColumn<float>("Label").Select(v => (double)v).ToArray();
                double mean = y.Average();
                return $"{mean:F1} ± {Math.Sqrt(y.Average(v => (v - mean) * (v - mean))):F1}";
            case StudyTask.Binary:
                return $"{train.GetColumn<bool>("Label").Average(b => b ? 1.0 : 0.0):P0} positive";
            default:
                return $"{set.Classes} classes";
        }
    }

    private static bool Selected(IReadOnlyList<string> filter, string name) =>
        filter.Count == 0 || filter.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>Fits on each replicate's training rows, scores its test rows; the mean metric, total Fit seconds per replicate and epochs run.</summary>
    private Score Evaluate(StudySet set, Func<IEstimator<ITransformer>> build, StudyCandidate? candidate)
    {
        double metric = 0, seconds = 0, epochs = 0;
        try
        {
            foreach (var split in set.Replicates)
            {
                var estimator = build();
                var watch = Stopwatch.StartNew();
                var model = estimator.Fit(split.Train);
                seconds += watch.Elapsed.TotalSeconds;
                metric += Metric(set.Task, model.Transform(split.Test));
                epochs += EpochsRun(model);
                (model as IDisposable)?.Dispose();
            }
        }
        catch (Exception e) when (candidate is not null)
        {
            return new Score(double.NaN, 0, 0, $"{e.GetType().Name}: {e.Message}");
        }
        int n = set.Replicates.Count;
        return new Score(metric / n, seconds / n, epochs / n);
    }

    private static NetworkTransformer? Network(ITransformer model) =>
        model as NetworkTransformer ?? (model as IEnumerable<ITransformer>)?.LastOrDefault() as NetworkTransformer;

    private double EpochsRun(ITransformer model)
    {
        var network = Network(model);
        if (network is not null && settings.History)
            foreach (var record in network.History)
                Console.WriteLine($"      {record}");
        return network?.History.Count ?? 0;
    }

    private static double Metric(StudyTask task, IDataView scored) => task switch
    {
        StudyTask.Regression => RSquared(scored.GetColumn<float>("Label").ToArray(), scored.GetColumn<float>("Score").ToArray()),
        StudyTask.Binary => Agreement(scored.GetColumn<bool>("Label").ToArray(), scored.GetColumn<bool>("PredictedLabel").ToArray()),
        _ => Agreement(scored.GetColumn<uint>("Label").ToArray(), scored.GetColumn<uint>("PredictedLabel").ToArray()),
    };

    private static double RSquared(float[] label, float[] score)
    {
        double mean = label.Average(l => (double)l), total = 0, residual = 0;
        for (int i = 0; i < label.Length; i++)
        {
            total += (label[i] - mean) * (label[i] - mean);
            residual += ((double)label[i] - score[i]) * ((double)label[i] - score[i]);
        }
        return 1 - residual / total;
    }

    private static double Agreement<T>(T[] label, T[] predicted) where T : IEquatable<T> =>
        label.Zip(predicted).Count(p => p.First.Equals(p.Second)) / (double)label.Length;

    private static void Report(string name, StudySet set, Score score) =>
        Console.WriteLine(score.Error is null
            ? $"  {set.Key,-14} {name,-52} {score.Metric:F4}  fit {score.Seconds,6:F2} s{(score.Epochs > 0 ? $", {score.Epochs:F0} epochs" : "")}"
            : $"  {set.Key,-14} {name,-52} failed: {score.Error}");

    private static void PrintTable(StudyTrainer trainer, StudySet[] sets, Dictionary<(string, string), Score> references,
        Dictionary<(StudyTrainer, string, string), Score> results)
    {
        var candidates = results.Keys.Where(k => k.Item1 == trainer).Select(k => k.Item2).Distinct().ToArray();
        if (candidates.Length == 0 || sets.Length == 0)
            return;
        Console.WriteLine();
        Console.WriteLine($"### {trainer}");
        Console.WriteLine();
        Console.WriteLine("Each cell: the test metric (R² or accuracy), then the mean Fit time in seconds and, for our trainers, the epochs run.");
        Console.WriteLine();
        Console.WriteLine("| | " + string.Join(" | ", sets.Select(s => s.Key)) + " | mean gap to best | worst gap |");
        Console.WriteLine("|---|" + string.Concat(sets.Select(_ => "---:|")) + "---:|---:|");
        foreach (var name in references.Keys.Select(k => k.Item1).Distinct())
        {
            if (!sets.Any(s => references.ContainsKey((name, s.Key))))
                continue;
            Console.WriteLine($"| {name} | " + string.Join(" | ", sets.Select(s => references.TryGetValue((name, s.Key), out var r) ? Cell(r) : "")) + " | | |");
        }
        var best = sets.ToDictionary(s => s.Key, s => candidates.Select(c => results.TryGetValue((trainer, c, s.Key), out var r) ? r.Metric : double.NaN)
            .Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max());
        foreach (var name in candidates)
        {
            var gaps = sets.Select(s => results.TryGetValue((trainer, name, s.Key), out var r) ? best[s.Key] - r.Metric : double.NaN).ToArray();
            bool complete = gaps.All(double.IsFinite);
            Console.WriteLine($"| {name} | " + string.Join(" | ", sets.Select(s => results.TryGetValue((trainer, name, s.Key), out var r) ? Cell(r) : "")) +
                $" | {(complete ? gaps.Average().ToString("F4") : "")} | {(complete ? gaps.Max().ToString("F4") : "")} |");
        }
    }

    private static string Cell(Score s) => s.Error is not null ? "failed"
        : s.Epochs > 0 ? $"{s.Metric:F4} ({s.Seconds:F1} s, {s.Epochs:F0} ep)" : $"{s.Metric:F4} ({s.Seconds:F1} s)";
}
