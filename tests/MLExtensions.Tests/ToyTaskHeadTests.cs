using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using MLExtensions.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Tests;

/// <summary>
/// A task that is not in the library, written as one file: count regression with a Poisson loss, whose network output is
/// the log of the rate and whose <c>Score</c> is the rate. Registering it is one line; training, scoring, saving and
/// loading then work through the shared trainer, loop and persistence.
/// </summary>
internal sealed class PoissonRegressionHead : SingleOutputHeadForTests
{
    public const string TaskName = "PoissonRegression";

    public override string Name => TaskName;

    public override string MetricName => "MeanDeviance";

    public override Tensor Loss(Tensor output, Tensor target) => (output.exp() - target * output).mean();

    public override double MetricSum(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (output.exp() - target * output).sum().item<float>();
    }

    public override double FinishMetric(double sum, double count) => sum / count;

    public override string[] WriteScoringOutputs(OnnxGraph g, string raw) => base.WriteScoringOutputs(g, g.Node("Exp", [raw]));

    public override void WriteStandaloneOutputs(OnnxGraph g, string raw)
    {
        g.AddNode("Exp", [raw], "rate");
        g.AddOutput("rate", OnnxTensorType.Float, -1, 1);
    }

    public static TaskHead Restore(ModelMetadata m) => new PoissonRegressionHead();
}

/// <summary>The library's single-output base, with the regression adapter that turns the raw score into <c>Score</c>.</summary>
internal abstract class SingleOutputHeadForTests : SingleOutputHead
{
    protected override DataViewType LabelType => NumberDataViewType.Single;

    protected override string TaskDescription => "count regression";

    public override IEnumerable<SchemaShape.Column> OutputShape(SchemaShape.Column label) =>
        [MlNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)];

    protected override IEstimator<ITransformer> ScoreAdapter(MLContext ml) =>
        ml.Transforms.CustomMapping(new RegressionScoreMapping().GetMapping(), RegressionScoreMapping.ContractName);
}

[TestClass]
public sealed class ToyTaskHeadTests
{
    public sealed class CountRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [TestMethod]
    public void ANewTaskIsOneFileAndOneRegistrationLine()
    {
        TaskHeads.Register(PoissonRegressionHead.TaskName, PoissonRegressionHead.Restore); // the registration line

        // Counts with log-rate 0.5 + 0.8·x1 − 0.6·x2.
        var random = new Random(5);
        var rows = Enumerable.Range(0, 2000).Select(_ =>
        {
            float x1 = (float)(random.NextDouble() * 2 - 1), x2 = (float)(random.NextDouble() * 2 - 1);
            double rate = Math.Exp(0.5 + 0.8 * x1 - 0.6 * x2), p = Math.Exp(-rate), sum = p, u = random.NextDouble();
            int k = 0;
            while (u > sum) { k++; p *= rate / k; sum += p; }
            return new CountRow { Features = [x1, x2], Label = k };
        }).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = new TorchMlpTrainer(MlNetInternals.CatalogEnvironment(ml.Regression.Trainers),
            new MlpOptions { HiddenLayerSizes = [], Epochs = 40, LearningRate = 0.02, LearningRateSchedule = LearningRateSchedule.Cosine }, _ => new PoissonRegressionHead());
        using var model = trainer.Fit(data);
        Assert.AreEqual(PoissonRegressionHead.TaskName, model.Task);
        Assert.AreEqual("MeanDeviance", model.History[^1].ValidationMetricName);

        // The predicted rate at x = (0.5, −0.5) agrees with ML.NET's own Poisson regression on the same rows.
        var probe = ml.Data.LoadFromEnumerable(new[] { new CountRow { Features = [0.5f, -0.5f] } });
        float predicted = model.Transform(probe).GetColumn<float>("Score").Single();
        float reference = ml.Regression.Trainers.LbfgsPoissonRegression().Fit(data).Transform(probe).GetColumn<float>("Score").Single();
        Assert.AreEqual(reference, predicted, 0.05 * reference, "rate");

        string zip = Path.Combine(Path.GetTempPath(), $"mlext-toy-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, zip);
            var loaded = ml.Model.Load(zip, out _);
            Assert.AreEqual(predicted, loaded.Transform(probe).GetColumn<float>("Score").Single());
            var network = loaded.GetNetwork();
            Assert.AreEqual(PoissonRegressionHead.TaskName, network.Task);
            var standalone = new MemoryStream();
            network.SaveOnnx(standalone);
            using var x = torch.tensor(new[] { 0.5f, -0.5f }, new long[] { 1, 2 });
            Assert.AreEqual(predicted, (float)NetworkParityTests.Run(standalone.ToArray(), x)["rate"].GetValue(0)!, 1e-5f);
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
