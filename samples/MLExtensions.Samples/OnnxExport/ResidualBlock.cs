using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Samples.OnnxExport;

/// <summary>relu(x + body(x)): a module the exporter does not know, exported through ITorchOnnxExportable.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    private readonly TorchSharp.Modules.Sequential body;

    public ResidualBlock(int channels) : base(nameof(ResidualBlock))
    {
        body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding: 1), nn.BatchNorm2d(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.relu(x + body.forward(x));

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var body = context.Export(this.body, input);                  // standard layers: the exporter writes them
        var sum = context.Node("Add", [input.Name, body.Name], body.Shape);
        return context.Node("Relu", [sum.Name], sum.Shape);
    }
}
