using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.LoadCheck;

/// <summary>Loads a saved tagging pipeline (text and tags in, <c>PredictedLabel</c> out) and prints each row's predicted tags.</summary>
public static class TagCheck
{
    public static int Run(string zip, string tsv)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var data = ml.Data.LoadFromTextFile(tsv,
            [new TextLoader.Column("Text", DataKind.String, 0), new TextLoader.Column("Tags", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var scored = model.Transform(data);
        var tags = ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel").Fit(scored).Transform(scored);
        foreach (var row in tags.GetColumn<string[]>("PredictedTags"))
            Console.WriteLine(string.Join(" ", row));
        return 0;
    }
}
