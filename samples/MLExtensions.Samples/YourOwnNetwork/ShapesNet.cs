using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Samples.YourOwnNetwork;

/// <summary>
/// The network, written as in PyTorch: the layers are fields (their names make the state_dict keys: "conv1.weight",
/// "bn1.running_mean", ...) and <see cref="forward"/> is code with functional calls. A convolution stage, a residual
/// convolution stage and a linear classifier on 3×32×32 images:
/// <code>
/// class ShapesNet(nn.Module):
///     def forward(self, x):
///         x = self.pool(F.relu(self.bn1(self.conv1(x))))
///         x = self.pool(F.relu(x + self.bn2(self.conv2(x))))
///         return self.fc(self.dropout(torch.flatten(x, 1)))
/// </code>
/// Because forward is code, the exporter cannot read it from the module tree: <see cref="ExportOnnx"/> writes the same
/// steps, letting the exporter write each standard layer.
/// </summary>
public sealed class ShapesNet : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly MaxPool2d pool;
    private readonly Flatten flatten;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public ShapesNet(int classes) : base(nameof(ShapesNet))
    {
        conv1 = nn.Conv2d(3, 16, 3, padding: 1);    // 3×32×32 → 16×32×32, pooled to 16×16×16
        bn1 = nn.BatchNorm2d(16);
        conv2 = nn.Conv2d(16, 16, 3, padding: 1);   // 16×16×16 plus the input, pooled to 16×8×8
        bn2 = nn.BatchNorm2d(16);
        pool = nn.MaxPool2d(2);
        flatten = nn.Flatten();
        dropout = nn.Dropout(0.2);
        fc = nn.Linear(16 * 8 * 8, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = pool.forward(relu(bn1.forward(conv1.forward(x))));
        x = pool.forward(relu(x + bn2.forward(conv2.forward(x))));
        return fc.forward(dropout.forward(flatten.forward(x)));
    }

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue x)
    {
        x = context.Export(pool, Relu(context, context.Export(bn1, context.Export(conv1, x))));
        var body = context.Export(bn2, context.Export(conv2, x));
        x = context.Export(pool, Relu(context, context.Node("Add", [x.Name, body.Name], body.Shape)));
        return context.Export(fc, context.Export(flatten, x));    // dropout does nothing at inference
    }

    private static TorchOnnxValue Relu(TorchOnnxContext context, TorchOnnxValue value) =>
        context.Node("Relu", [value.Name], value.Shape);
}
