using Microsoft.ML;
using MLExtensions.Samples.Common;
using static MLExtensions.Samples.Common.ConsoleHelper;

namespace MLExtensions.Samples.SlotFilling;

public partial class SlotFillingModel
{
    public static void Run()
    {
        PrintHeader("SlotFilling: a tag for every word of a booking sentence, TorchRnn per step (bidirectional vs left-to-right LSTM)");

        var mlContext = new MLContext(seed: 1);
        IDataView data = LoadData(mlContext, SamplePaths.DataFile(DataFileName));
        var train = mlContext.Data.TakeRows(data, 3200);     // the file's first 80 %
        var test = mlContext.Data.SkipRows(data, 3200);      // and last 20 %

        ITransformer model = Train(mlContext, train);
        ITransformer leftToRight = Train(mlContext, train, bidirectional: false);
        PrintSection("Training");
        PrintTrainingSummary("BiLSTM tagger", model.GetNetwork());
        PrintTrainingSummary("LSTM tagger", leftToRight.GetNetwork());

        PrintSection("Test metrics (800 sentences)");
        var metrics = Evaluate(mlContext, model, test);
        var leftMetrics = Evaluate(mlContext, leftToRight, test);
        Console.WriteLine("  model          token accuracy   span precision   span recall   span F1");
        foreach (var (name, m) in new[] { ("BiLSTM", metrics), ("LSTM", leftMetrics) })
            Console.WriteLine(Invariant($"  {name,-13}  {m.TokenAccuracy,14:F4}   {m.Spans.Precision,14:F4}   {m.Spans.Recall,11:F4}   {m.Spans.F1,7:F4}"));
        Console.WriteLine("  Some slots are decided by a later word (\"Toronto to …\" is a from-city, \"Toronto from …\" a to-city):");
        Console.WriteLine("  the left-to-right LSTM has not read that word yet when it tags the city.");
        Console.WriteLine("  span F1 per slot type (BiLSTM):");
        foreach (var type in metrics.Spans.PerType)
            Console.WriteLine(Invariant($"    {type.Name,-10} {type.F1:F4}"));

        mlContext.Model.Save(model, data.Schema, ModelPath);
        Console.WriteLine($"  Saved {SamplePaths.Relative(ModelPath)}");
        SamplePlots.SaveTrainingCurve(model, ModelPath, "SlotFilling: TorchRnn (BiLSTM) tagger training curve");
        (model as IDisposable)?.Dispose();
        (leftToRight as IDisposable)?.Dispose();

        PrintSection("Consuming the saved model: new sentences");
        foreach (string sentence in new[]
        {
            "book a flight from Taipei to Madrid departing 2 November",
            "Toronto to Singapore on Friday",
            "Singapore Airlines flights to Hong Kong by 9 am",
            "show me the Frankfurt arrivals on 12th of August",
        })
        {
            var tags = Predict(sentence).PredictedTags;
            var words = sentence.Split(' ');
            Console.WriteLine("  " + string.Join(" ", words.Zip(tags, (w, t) => t == "O" ? w : $"{w}/{t}")));
        }
    }
}
