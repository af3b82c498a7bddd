using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>Convolution → optional batch norm → activation → optional pooling, on [N, C, H, W] feature maps.</summary>
internal sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d? norm;
    private readonly ActivationLayer activation;
    private readonly nn.Module<Tensor, Tensor>? pool;
    private readonly Pooling _pooling;
    private readonly int _poolSize;

    /// <summary>Creates the block and checks that it fits <paramref name="input"/>; <paramref name="output"/> is the resulting shape.</summary>
    public ConvBlock(string name, ImageShape input, int channels, int kernel, int stride, int padding, bool batchNorm,
        ActivationLayer activation, Pooling pooling, int poolSize, out ImageShape output) : base(name)
    {
        if (channels <= 0 || kernel <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(CnnOptions.ConvLayers),
                $"{name}: output channels, kernel size and stride must be positive and padding must not be negative.");
        output = input.After(name, channels, kernel, stride, padding);
        conv = nn.Conv2d(input.Channels, channels, kernel, stride: stride, padding: padding);
        if (batchNorm)
            norm = nn.BatchNorm2d(channels);
        this.activation = activation;
        _pooling = pooling;
        _poolSize = poolSize;
        if (pooling != Pooling.None)
        {
            if (poolSize <= 0)
                throw new ArgumentOutOfRangeException(nameof(ConvLayer.PoolSize), $"{name}: the pool size must be positive.");
            output = output.After(name + " pooling", channels, poolSize, poolSize, 0);
            pool = pooling == Pooling.Max ? nn.MaxPool2d(poolSize, poolSize) : nn.AvgPool2d(poolSize, poolSize);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = conv.forward(x);
        if (norm is not null)
            x = norm.forward(x);
        x = activation.forward(x);
        return pool is null ? x : pool.forward(x);
    }

    public string WriteOnnx(OnnxGraph g, string input)
    {
        var x = OnnxLayers.Conv(g, input, conv, GetName());
        if (norm is not null)
            x = OnnxLayers.BatchNorm(g, x, norm, GetName() + ".norm");
        x = activation.WriteOnnx(g, x);
        return pool is null ? x : OnnxLayers.Pool(g, x, _pooling, _poolSize, _poolSize);
    }
}
