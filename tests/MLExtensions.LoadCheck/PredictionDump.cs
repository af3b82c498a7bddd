using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.LoadCheck;

/// <summary>Scores feature rows with a model and writes one text line per row: Score (all slots), Probability and PredictedLabel (as its value) when present.</summary>
public static class PredictionDump
{
    public static IReadOnlyList<string> Score(MLContext ml, ITransformer model, float[][] features)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        var input = ml.Data.LoadFromEnumerable(features.Select(f => new Row { Features = f }), definition);
        var scored = model.Transform(input);
        var predicted = scored.Schema.GetColumnOrNull("PredictedLabel");
        if (predicted?.Type is KeyDataViewType)
            scored = ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel").Fit(scored).Transform(scored);

        var lines = new List<string>();
        using var cursor = scored.GetRowCursor(scored.Schema);
        var score = scored.Schema["Score"];
        var probability = scored.Schema.GetColumnOrNull("Probability");
        var label = scored.Schema.GetColumnOrNull("PredictedValue") ?? predicted;
        while (cursor.MoveNext())
        {
            var parts = new List<string>();
            if (score.Type is VectorDataViewType)
            {
                var v = default(VBuffer<float>);
                cursor.GetGetter<VBuffer<float>>(score)(ref v);
                parts.Add(string.Join(",", v.DenseValues().Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
            }
            else
            {
                float s = 0;
                cursor.GetGetter<float>(score)(ref s);
                parts.Add(s.ToString("R", CultureInfo.InvariantCulture));
            }
            if (probability is DataViewSchema.Column p)
            {
                float v = 0;
                cursor.GetGetter<float>(p)(ref v);
                parts.Add(v.ToString("R", CultureInfo.InvariantCulture));
            }
            if (label is DataViewSchema.Column l)
            {
                if (l.Type == BooleanDataViewType.Instance)
                {
                    bool b = false;
                    cursor.GetGetter<bool>(l)(ref b);
                    parts.Add(b ? "true" : "false");
                }
                else
                {
                    var t = default(ReadOnlyMemory<char>);
                    cursor.GetGetter<ReadOnlyMemory<char>>(l)(ref t);
                    parts.Add(t.ToString());
                }
            }
            lines.Add(string.Join(";", parts));
        }
        return lines;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }
}
