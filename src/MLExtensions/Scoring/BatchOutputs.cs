using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLExtensions.Tasks;

namespace MLExtensions.Scoring;

/// <summary>
/// What the standalone model's outputs for a batch become: the task's columns with the values its one-row scoring
/// chain gives (Score, Probability, PredictedLabel as the heads' adapters make them). One instance per cursor.
/// </summary>
internal abstract class BatchOutputs
{
    /// <summary>The standalone model's outputs to compute.</summary>
    public abstract string[] OnnxOutputs { get; }

    /// <summary>The columns made, in the order they are added to the schema.</summary>
    public abstract string[] Columns { get; }

    /// <summary>Takes the outputs of the batch <paramref name="features"/> (in <see cref="OnnxOutputs"/>' order).</summary>
    public abstract void Take(IReadOnlyList<OrtValue> outputs, FeatureBatch features);

    /// <summary>A getter of <paramref name="column"/> that reads row <paramref name="row"/>() of the batch taken last.</summary>
    public abstract Delegate Getter(string column, Func<int> row);

    /// <summary>The outputs of a model trained for <paramref name="task"/>.</summary>
    public static BatchOutputs For(string task) => task switch
    {
        RegressionHead.TaskName => new Regression(),
        BinaryClassificationHead.TaskName => new Binary(),
        MulticlassClassificationHead.TaskName => new Multiclass(),
        SequenceTaggingHead.TaskName => new Tagging(),
        StepRegressionHead.TaskName => new StepRegression(),
        _ => throw new NotSupportedException($"Batched scoring does not know the task '{task}'; use Transform."),
    };

    protected static void Copy<T>(OrtValue value, ref T[] target) where T : unmanaged
    {
        var span = value.GetTensorDataAsSpan<T>();
        if (target.Length < span.Length)
            target = new T[Math.Max(span.Length, 2 * target.Length)];
        span.CopyTo(target);
    }

    private sealed class Regression : BatchOutputs
    {
        private float[] _score = [];

        public override string[] OnnxOutputs => ["score"];

        public override string[] Columns => ["Score"];

        public override void Take(IReadOnlyList<OrtValue> outputs, FeatureBatch features) => Copy(outputs[0], ref _score);

        public override Delegate Getter(string column, Func<int> row) => (ValueGetter<float>)((ref float value) => value = _score[row()]);
    }

    private sealed class Binary : BatchOutputs
    {
        private float[] _logit = [];

        public override string[] OnnxOutputs => ["logit"];

        public override string[] Columns => ["Score", "Probability", "PredictedLabel"];

        public override void Take(IReadOnlyList<OrtValue> outputs, FeatureBatch features) => Copy(outputs[0], ref _logit);

        public override Delegate Getter(string column, Func<int> row) => column switch
        {
            "Score" => (ValueGetter<float>)((ref float value) => value = _logit[row()]),
            // The probability as BinaryScoreMapping computes it, so both paths give the same bits.
            "Probability" => (ValueGetter<float>)((ref float value) => value = 1f / (1f + MathF.Exp(-_logit[row()]))),
            _ => (ValueGetter<bool>)((ref bool value) => value = _logit[row()] > 0),
        };
    }

    private sealed class Multiclass : BatchOutputs
    {
        private float[] _probabilities = [];
        private long[] _index = [];
        private int _classes;

        public override string[] OnnxOutputs => ["probabilities", "predicted_index"];

        public override string[] Columns => ["Score", "PredictedLabel"];

        public override void Take(IReadOnlyList<OrtValue> outputs, FeatureBatch features)
        {
            Copy(outputs[0], ref _probabilities);
            Copy(outputs[1], ref _index);
            _classes = (int)outputs[0].GetTensorTypeAndShape().Shape[1];
        }

        public override Delegate Getter(string column, Func<int> row) => column switch
        {
            "Score" => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, _classes);
                _probabilities.AsSpan(row() * _classes, _classes).CopyTo(editor.Values);
                value = editor.Commit();
            }),
            _ => (ValueGetter<uint>)((ref uint value) => value = checked((uint)(_index[row()] + 1))),
        };
    }

    private sealed class Tagging : BatchOutputs
    {
        private float[] _probabilities = [];
        private long[] _index = [];
        private int _classes, _steps;
        private FeatureBatch? _features;

        public override string[] OnnxOutputs => ["probabilities", "predicted_index"];

        public override string[] Columns => ["Score", "PredictedLabel"];

        public override void Take(IReadOnlyList<OrtValue> outputs, FeatureBatch features)
        {
            Copy(outputs[0], ref _probabilities);
            Copy(outputs[1], ref _index);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            (_steps, _classes, _features) = ((int)shape[1], (int)shape[2], features);
        }

        public override Delegate Getter(string column, Func<int> row) => column switch
        {
            "Score" => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                int r = row(), length = _features!.Lengths[r] * _classes;
                var editor = VBufferEditor.Create(ref value, length);
                _probabilities.AsSpan(r * _steps * _classes, length).CopyTo(editor.Values);
                value = editor.Commit();
            }),
            _ => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) =>
            {
                int r = row(), length = _features!.Lengths[r];
                var editor = VBufferEditor.Create(ref value, length);
                for (int t = 0; t < length; t++)
                    editor.Values[t] = checked((uint)(_index[r * _steps + t] + 1));
                value = editor.Commit();
            }),
        };
    }

    private sealed class StepRegression : BatchOutputs
    {
        private float[] _score = [];
        private int _steps;
        private FeatureBatch? _features;

        public override string[] OnnxOutputs => ["score"];

        public override string[] Columns => ["Score"];

        public override void Take(IReadOnlyList<OrtValue> outputs, FeatureBatch features)
        {
            Copy(outputs[0], ref _score);
            (_steps, _features) = ((int)outputs[0].GetTensorTypeAndShape().Shape[1], features);
        }

        public override Delegate Getter(string column, Func<int> row) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            int r = row(), length = _features!.Lengths[r];
            var editor = VBufferEditor.Create(ref value, length);
            _score.AsSpan(r * _steps, length).CopyTo(editor.Values);
            value = editor.Commit();
        });
    }
}
