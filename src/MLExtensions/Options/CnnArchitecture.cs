namespace MLExtensions;

/// <summary>The convolutional network <c>TorchCnn</c> builds.</summary>
public enum CnnArchitecture
{
    /// <summary>LeNet-5: two convolution + pooling stages (6 and 16 channels, 5×5; pooling from <see cref="CnnOptions.LeNetPooling"/>), then dense layers of 120 and 84.</summary>
    LeNet,
    /// <summary>A plain stack of convolution blocks configured by <see cref="CnnOptions.ConvLayers"/>, then <see cref="CnnOptions.DenseLayers"/>.</summary>
    ConvStack,
    /// <summary>Residual network: a 3×3 stem, stages of basic residual blocks (<see cref="CnnOptions.ResNetBlocks"/>, width <see cref="CnnOptions.ResNetWidth"/> doubling per stage), global average pooling.</summary>
    ResNet,
    /// <summary>GoogLeNet-style: a 3×3 stem, then <see cref="CnnOptions.InceptionBlocks"/> blocks of parallel 1×1, 3×3, 5×5 and pooling branches concatenated on channels, global average pooling.</summary>
    Inception,
}
