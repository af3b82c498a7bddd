namespace MLExtensions;

/// <summary>The torchvision architecture a <c>TorchVision</c> trainer builds (the backbone, with torchvision's key names).</summary>
public enum VisionBackbone
{
    /// <summary>ResNet-18: basic blocks 2-2-2-2, 512 pooled features, 11.2 M backbone parameters.</summary>
    ResNet18,
    /// <summary>ResNet-34: basic blocks 3-4-6-3, 512 pooled features, 21.3 M backbone parameters.</summary>
    ResNet34,
    /// <summary>ResNet-50: bottleneck blocks 3-4-6-3, 2048 pooled features, 23.5 M backbone parameters.</summary>
    ResNet50,
    /// <summary>MobileNetV2 (width 1.0): inverted residual blocks with depthwise convolutions, 1280 pooled features, 2.2 M backbone parameters.</summary>
    MobileNetV2,
}
