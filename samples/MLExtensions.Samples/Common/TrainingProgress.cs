using Microsoft.ML;
using Spectre.Console;
using Spectre.Console.Rendering;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.Common;

/// <summary>
/// Training progress on the console, fed by the trainers' <see cref="TorchTrainerOptions.Progress"/> callback:
/// a live bar per model in a terminal (epoch k of n, losses, elapsed and remaining time), plain lines when the
/// output is redirected (CI logs, files). Two calls wire it up:
/// <code>
/// .Append(ml.MulticlassClassification.Trainers.TorchMlp(new MlpOptions { Epochs = 60 }.WithProgress("TorchMlp")))
/// ITransformer model = pipeline.FitWithProgress(trainData);
/// </code>
/// </summary>
public static class TrainingProgress
{
    /// <summary>Reports every epoch of training with these options under <paramref name="name"/>.</summary>
    public static TOptions WithProgress<TOptions>(this TOptions options, string name) where TOptions : TorchTrainerOptions
    {
        options.Progress = new Reporter(name, options.Epochs).Report;
        return options;
    }

    /// <summary>
    /// Fits <paramref name="estimator"/>. While it trains, the models set up with <see cref="WithProgress"/> show a live
    /// bar in a terminal, or print about ten lines each when the output is redirected; at the end a line says how many
    /// epochs ran (fewer than planned when early stopping ended training).
    /// </summary>
    public static TModel FitWithProgress<TModel>(this IEstimator<TModel> estimator, IDataView data) where TModel : class, ITransformer
    {
        using var scope = Scope.Begin();
        return estimator.Fit(data);
    }

    /// <summary>One model's training: the epochs seen so far and its bar or its lines.</summary>
    private sealed class Reporter(string name, int epochs)
    {
        private double _seconds, _printedAt;
        private int _lastEpoch, _lastPrinted;
        private ProgressTask? _bar;
        private string _losses = "";
        private readonly Queue<double> _recent = new();

        public void Report(TorchEpochRecord record)
        {
            if (record.Epoch <= _lastEpoch)
            {
                // The same options trained again (another Fit): start over.
                _seconds = _printedAt = 0;
                _lastPrinted = 0;
                _recent.Clear();
                _bar = null;
            }
            _lastEpoch = record.Epoch;
            _seconds += record.Seconds;
            _recent.Enqueue(record.Seconds);
            if (_recent.Count > 5)
                _recent.Dequeue();
            _losses = Invariant($"train loss {record.TrainLoss:F4}");
            if (record.ValidationLoss is double loss)
            {
                string metric = record.ValidationMetricName.All(char.IsUpper) ? record.ValidationMetricName : record.ValidationMetricName.ToLowerInvariant();
                _losses += Invariant($", validation loss {loss:F4}, {metric} {record.ValidationMetric:F4}");
            }

            var scope = Scope.Current;
            scope?.Add(this);
            if (scope?.Context is { } context)
            {
                _bar ??= context.AddTask(Markup.Escape(name), maxValue: epochs);
                _bar.Description = Markup.Escape(Invariant($"{name}  epoch {record.Epoch}/{epochs}  {_losses}"));
                _bar.Value = record.Epoch;
                return;
            }
            // Plain lines: the first and the last epoch, and between them at most about ten, a second or more apart
            // (one at least every 10 seconds for slow epochs).
            double sincePrinted = _seconds - _printedAt;
            if (record.Epoch == 1 || record.Epoch == epochs || (record.Epoch % Math.Max(1, epochs / 10) == 0 && sincePrinted >= 1) || sincePrinted > 10)
                PrintLine();
        }

        /// <summary>Training ended: close the bar, or print the last epoch when its line was skipped.</summary>
        public void Finish()
        {
            string end = _lastEpoch < epochs ? Invariant($" (early stop at epoch {_lastEpoch} of {epochs})") : "";
            if (_bar is not null)
            {
                _bar.Description += Markup.Escape(end);
                _bar.MaxValue = _lastEpoch;
                _bar.StopTask();
            }
            else if (_lastPrinted != _lastEpoch)
            {
                PrintLine();
            }
            if (_bar is null && end.Length > 0)
                Console.WriteLine(Invariant($"  [{name}] stopped early after epoch {_lastEpoch} of {epochs}, {_seconds:F1} s"));
        }

        private void PrintLine()
        {
            // The time left from the last few epochs (the first one also pays for warming up).
            double perEpoch = _recent.Average();
            string eta = _lastEpoch < epochs ? ", ETA " + Format(TimeSpan.FromSeconds(perEpoch * (epochs - _lastEpoch))) : Invariant($", done in {_seconds:F1} s");
            Console.WriteLine(Invariant($"  [{name}] epoch {_lastEpoch}/{epochs}: {_losses}; {perEpoch:F2} s/epoch{eta}"));
            _lastPrinted = _lastEpoch;
            _printedAt = _seconds;
        }
    }

    /// <summary>One <see cref="FitWithProgress"/> call: the reporters that ran in it and, in a terminal, Spectre.Console's live display.</summary>
    private sealed class Scope : IDisposable
    {
        private static readonly object Gate = new();
        private static Scope? _current;

        private readonly List<Reporter> _reporters = [];
        private readonly ManualResetEventSlim _ready = new(), _done = new();
        private Task? _display;

        public static Scope? Current
        {
            get { lock (Gate) return _current; }
        }

        /// <summary>The live display's context; null when the output is not an interactive terminal.</summary>
        public ProgressContext? Context { get; private set; }

        public static Scope Begin()
        {
            var scope = new Scope();
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities is { Interactive: true, Ansi: true })
            {
                // The display runs on its own task; the training thread only updates its bars.
                scope._display = Task.Run(() => AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                        new TimeColumn())
                    .Start(context =>
                    {
                        scope.Context = context;
                        scope._ready.Set();
                        scope._done.Wait();
                        scope.FinishAll();
                        context.Refresh();
                    }));
                scope._ready.Wait();
            }
            lock (Gate)
                _current = scope;
            return scope;
        }

        public void Add(Reporter reporter)
        {
            lock (_reporters)
                if (!_reporters.Contains(reporter))
                    _reporters.Add(reporter);
        }

        public void Dispose()
        {
            lock (Gate)
                if (ReferenceEquals(_current, this))
                    _current = null;
            if (_display is null)
            {
                FinishAll();
            }
            else
            {
                _done.Set();
                _display.Wait();
            }
            _ready.Dispose();
            _done.Dispose();
        }

        private void FinishAll()
        {
            lock (_reporters)
                foreach (var reporter in _reporters)
                    reporter.Finish();
        }
    }

    /// <summary>"12s, ETA 40s": the time a bar has run and, while it runs, Spectre.Console's estimate of the time left.</summary>
    private sealed class TimeColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            string text = Format(task.ElapsedTime ?? TimeSpan.Zero);
            if (!task.IsFinished)
                text += ", ETA " + (task.RemainingTime is { } left ? Format(left) : "…");
            return new Text(text, new Style(Color.Grey));
        }
    }

    private static string Format(TimeSpan time) =>
        time.TotalMinutes >= 1 ? Invariant($"{(int)time.TotalMinutes}m{time.Seconds:00}s") : Invariant($"{time.TotalSeconds:0}s");
}
