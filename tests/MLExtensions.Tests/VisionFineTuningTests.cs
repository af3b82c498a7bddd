using MLExtensions.Networks;
using MLExtensions.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>The fine-tuning schedule: a frozen backbone (no gradients, batch norm statistics kept) and a backbone learning-rate factor per parameter group.</summary>
[TestClass]
public sealed class VisionFineTuningTests
{
    private static readonly ImageShape Shape = new(3, 32, 32);

    private static VisionNetwork Network() => new("ResNet18", Shape, VisionNetworks.Backbone(VisionBackbone.ResNet18),
        new ImageNormalization(PixelNormalization.ImageNet, Shape, 1), 0, 3);

    private static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(p => p.Key, p => p.Value.to(ScalarType.Float32).contiguous().data<float>().ToArray());

    private static void Step(VisionNetwork network, optim.Optimizer optimizer)
    {
        using var scope = torch.NewDisposeScope();
        network.train();
        optimizer.zero_grad();
        var x = torch.rand(8, Shape.Size) * 255;
        var y = torch.tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        nn.functional.cross_entropy(network.forward(x), y).backward();
        optimizer.step();
    }

    [TestMethod]
    public void AFrozenBackboneKeepsItsWeightsAndStatisticsThenTrains()
    {
        torch.manual_seed(1);
        using var network = Network();
        var options = new TorchVisionOptions { ImageHeight = 32, ImageWidth = 32, FreezeBackboneEpochs = 1, BackboneLearningRateFactor = 0.1, LearningRate = 1e-2 };
        var hooks = VisionTrainingHooks.Create(network, options);
        using var optimizer = OptimizerFactory.Create(hooks.ParameterGroups!, options);

        hooks.BeforeEpoch!(0);
        var backbone = Snapshot(network.Backbone);
        var head = Snapshot(network.OutputLayer);
        Step(network, optimizer);
        Assert.IsTrue(network.training, "the network trains");
        Assert.IsTrue(network.Backbone.modules().OfType<BatchNorm2d>().All(bn => !bn.training), "frozen batch norm stays in evaluation mode");
        Assert.IsTrue(network.Backbone.parameters().All(p => p.grad is null), "no gradients for the frozen backbone");
        foreach (var (key, values) in Snapshot(network.Backbone))
            CollectionAssert.AreEqual(backbone[key], values, $"{key} changed while frozen");
        Assert.IsFalse(Snapshot(network.OutputLayer)["weight"].SequenceEqual(head["weight"]), "the head trains");

        hooks.BeforeEpoch(1);
        Step(network, optimizer);
        Assert.IsTrue(network.Backbone.modules().OfType<BatchNorm2d>().All(bn => bn.training));
        var after = Snapshot(network.Backbone);
        Assert.IsFalse(after["conv1.weight"].SequenceEqual(backbone["conv1.weight"]), "the unfrozen backbone trains");
        Assert.IsFalse(after["bn1.running_mean"].SequenceEqual(backbone["bn1.running_mean"]), "its batch norm statistics move again");
    }

    [TestMethod]
    public void TheBackboneGroupFollowsTheScheduleTimesItsFactor()
    {
        using var network = Network();
        var options = new TorchVisionOptions
        {
            ImageHeight = 32, ImageWidth = 32, BackboneLearningRateFactor = 0.1, LearningRate = 0.02,
            LearningRateSchedule = LearningRateSchedule.Step, LearningRateStepSize = 2, LearningRateDecay = 0.5, Epochs = 6, WarmupEpochs = 1,
        };
        var hooks = VisionTrainingHooks.Create(network, options);
        Assert.HasCount(2, hooks.ParameterGroups!);
        Assert.AreEqual(network.parameters().Count(), hooks.ParameterGroups!.Sum(g => g.Parameters.Count()), "every parameter in one group");
        foreach (var optimizer in new[] { TorchOptimizer.Adam, TorchOptimizer.Sgd, TorchOptimizer.AdamW, TorchOptimizer.RmsProp })
        {
            options.Optimizer = optimizer;
            using var o = OptimizerFactory.Create(hooks.ParameterGroups!, options);
            CollectionAssert.AreEqual(new[] { 0.002, 0.02 }, o.ParamGroups.Select(g => Math.Round(g.LearningRate, 12)).ToArray(), optimizer.ToString());
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                double rate = LearningRatePlan.ForEpoch(options, epoch);
                OptimizerFactory.SetLearningRate(o, rate);
                CollectionAssert.AreEqual(new[] { Math.Round(rate * 0.1, 12), Math.Round(rate, 12) },
                    o.ParamGroups.Select(g => Math.Round(g.LearningRate, 12)).ToArray(), $"{optimizer}, epoch {epoch}");
            }
        }
        Assert.IsNull(VisionTrainingHooks.Create(network, new TorchVisionOptions()).ParameterGroups, "factor 1: one group, as for every trainer");
    }
}
