using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLExtensions.Prediction;

// Small adapters between the ONNX outputs (vectors of one value) and the scalar columns ML.NET's evaluators
// read. They are CustomMapping factories with fixed contract names, so a saved model finds them again when it is
// loaded, in any process that references MLExtensions. They never touch TorchSharp.

/// <summary>Input of the score adapters: the raw score, a vector of one value.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RawScoreRow
{
    /// <summary>The raw network output.</summary>
    [ColumnName(OnnxModelComposer.RawScoreColumn), VectorType(1)]
    public float[] RawScore { get; set; } = [];
}

/// <summary>Regression output: the <c>Score</c> column.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionScoreRow
{
    /// <summary>The predicted value.</summary>
    public float Score { get; set; }
}

/// <summary>Binary output: logit <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryScoreRow
{
    /// <summary>The logit; the evaluator's default threshold is 0.</summary>
    public float Score { get; set; }

    /// <summary>sigmoid(Score).</summary>
    public float Probability { get; set; }

    /// <summary>Score &gt; 0.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>Input of the class-index adapter.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictedIndexRow
{
    /// <summary>0-based class index from the ONNX ArgMax.</summary>
    [ColumnName(OnnxModelComposer.PredictedIndexColumn), VectorType(1)]
    public long[] Index { get; set; } = [];
}

/// <summary>Output of the class-index adapter: the 1-based class number.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassNumberRow
{
    /// <summary>1-based class number (key value).</summary>
    [ColumnName(ScoringChain.ClassNumberColumn)]
    public uint ClassNumber { get; set; }
}

/// <summary>Turns the raw score into the regression <c>Score</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RegressionScoreMapping : CustomMappingFactory<RawScoreRow, RegressionScoreRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.RegressionScore";

    /// <inheritdoc />
    public override Action<RawScoreRow, RegressionScoreRow> GetMapping() => Map;

    internal static void Map(RawScoreRow input, RegressionScoreRow output) => output.Score = input.RawScore[0];
}

/// <summary>Turns the raw logit into <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BinaryScoreMapping : CustomMappingFactory<RawScoreRow, BinaryScoreRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.BinaryScore";

    /// <inheritdoc />
    public override Action<RawScoreRow, BinaryScoreRow> GetMapping() => Map;

    internal static void Map(RawScoreRow input, BinaryScoreRow output)
    {
        float logit = input.RawScore[0];
        output.Score = logit;
        output.Probability = 1f / (1f + MathF.Exp(-logit));
        output.PredictedLabel = logit > 0;
    }
}

/// <summary>Turns the 0-based predicted index into the 1-based class number.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class ClassNumberMapping : CustomMappingFactory<PredictedIndexRow, ClassNumberRow>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLExtensions.ClassNumber";

    /// <inheritdoc />
    public override Action<PredictedIndexRow, ClassNumberRow> GetMapping() => Map;

    internal static void Map(PredictedIndexRow input, ClassNumberRow output) => output.ClassNumber = checked((uint)(input.Index[0] + 1));
}
