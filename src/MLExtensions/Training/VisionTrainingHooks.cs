using MLExtensions.Networks;

namespace MLExtensions.Training;

/// <summary>
/// What fine-tuning a <see cref="VisionNetwork"/> adds to the shared loop: the backbone frozen before each of the first
/// <see cref="TorchVisionOptions.FreezeBackboneEpochs"/> epochs and unfrozen after, the backbone's parameters in their own
/// group at <see cref="TorchVisionOptions.BackboneLearningRateFactor"/> times the learning rate, and the augmentation
/// of the training batches.
/// </summary>
internal static class VisionTrainingHooks
{
    public static TrainingHooks Create(VisionNetwork network, TorchVisionOptions o)
    {
        var shape = new ImageShape(3, o.ImageHeight, o.ImageWidth);
        var augmenter = o.Augmentation is { Any: true } a ? new ImageAugmenter(a, shape, 255 * o.PixelScale) : null;
        return new TrainingHooks
        {
            BeforeEpoch = o.FreezeBackboneEpochs > 0 ? epoch => network.SetBackboneFrozen(epoch < o.FreezeBackboneEpochs) : null,
            Augment = augmenter is null ? null : augmenter.Apply,
            ParameterGroups = o.BackboneLearningRateFactor == 1 ? null :
            [
                new ParameterGroup(network.Backbone.parameters(), o.BackboneLearningRateFactor),
                new ParameterGroup(network.HeadParameters, 1),
            ],
        };
    }
}
