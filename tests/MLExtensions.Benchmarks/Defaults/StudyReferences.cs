using Microsoft.ML;
using Microsoft.ML.Transforms.Text;

namespace MLExtensions.Benchmarks.Defaults;

/// <summary>A reference row of the study: one of ML.NET's own trainers with its default options.</summary>
internal sealed record StudyReference(string Name, Func<MLContext, StudySet, IEstimator<ITransformer>> Build, Func<StudySet, bool> Applies);

/// <summary>
/// ML.NET's trainers the study compares with, each with its default options as a user would write them: the linear
/// trainers behind <c>NormalizeMeanVariance</c> (they need it on features of different scales), FastTree as it comes;
/// on text, <c>FeaturizeText</c> (word 1–2-grams and character 3-grams, ML.NET's default) in front.
/// </summary>
internal static class StudyReferences
{
    public static IReadOnlyList<StudyReference> All { get; } =
    [
        new("ML.NET Sdca (normalized)", (ml, _) => Normalize(ml).Append(ml.Regression.Trainers.Sdca()), s => Dense(s, StudyTask.Regression)),
        new("ML.NET FastTree", (ml, _) => ml.Regression.Trainers.FastTree(), s => Dense(s, StudyTask.Regression)),
        new("ML.NET LbfgsLogisticRegression (normalized)", (ml, _) => Normalize(ml).Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()),
            s => Dense(s, StudyTask.Binary)),
        new("ML.NET FastTree", (ml, _) => ml.BinaryClassification.Trainers.FastTree(), s => Dense(s, StudyTask.Binary)),
        new("ML.NET LbfgsMaximumEntropy (normalized)", (ml, _) => Normalize(ml).Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            s => Dense(s, StudyTask.Multiclass)),
        new("ML.NET SdcaMaximumEntropy (normalized)", (ml, _) => Normalize(ml).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            s => Dense(s, StudyTask.Multiclass)),
        new("ML.NET FeaturizeText + SdcaMaximumEntropy", (ml, _) => ml.Transforms.Text.FeaturizeText("Features", "Sentence")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()), s => s.Input == StudyInput.Text),
        new("ML.NET FeaturizeText + LbfgsMaximumEntropy", (ml, _) => ml.Transforms.Text.FeaturizeText("Features", "Sentence")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()), s => s.Input == StudyInput.Text),
        new("ML.NET word 1–2-grams + LbfgsMaximumEntropy", (ml, _) => ml.Transforms.Text.FeaturizeText("Features",
                new TextFeaturizingEstimator.Options { WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2 }, CharFeatureExtractor = null },
                "Sentence")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()), s => s.Input == StudyInput.Text),
        new("ML.NET word unigrams + LbfgsMaximumEntropy", (ml, _) => ml.Transforms.Text.FeaturizeText("Features",
                new TextFeaturizingEstimator.Options { WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1 }, CharFeatureExtractor = null },
                "Sentence")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()), s => s.Input == StudyInput.Text),
    ];

    private static bool Dense(StudySet set, StudyTask task) => set.Input == StudyInput.Dense && set.Task == task;

    private static IEstimator<ITransformer> Normalize(MLContext ml) => ml.Transforms.NormalizeMeanVariance("Features");
}
