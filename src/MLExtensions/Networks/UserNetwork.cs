using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A network the user built in TorchSharp, as a trainer's network: <c>forward</c> hands the batch to the user's
/// module (reshaped to <c>[N, ..RowShape]</c> first when an input shape was asked for) and <see cref="WriteOnnx"/>
/// writes the same through the module exporter (<see cref="TorchOnnx.Append(OnnxGraph, nn.Module, string, long[], OnnxTensorType)"/>).
/// </summary>
internal sealed class UserNetwork : NetworkModule
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly long[] _rowShape;
    private readonly bool _reshape;

    /// <param name="network">The user's module; its state_dict keys appear under <c>network.</c> in this module's.</param>
    /// <param name="rowShape">One row as the module receives it (-1 for a length known only at run time).</param>
    /// <param name="reshape">True when the layout's [N, values] rows are reshaped to [N, ..rowShape].</param>
    /// <param name="inputType">The element type the module reads: float, or int64 token indices.</param>
    public UserNetwork(nn.Module<Tensor, Tensor> network, long[] rowShape, bool reshape, OnnxTensorType inputType) : base("TorchModule")
    {
        this.network = network;
        _rowShape = rowShape;
        _reshape = reshape;
        InputType = inputType;
        RegisterComponents();
    }

    /// <summary>The user's module.</summary>
    public nn.Module<Tensor, Tensor> Module => network;

    /// <summary>The shape of a batch the module receives, -1 for the batch and any run-time length.</summary>
    public long[] BatchShape => [-1, .. _rowShape];

    /// <summary>The element type the module reads.</summary>
    public OnnxTensorType InputType { get; }

    /// <summary>The last <c>Linear</c> in the module tree (pre-order), or null when there is none.</summary>
    public override Linear? OutputLayer => network.modules().OfType<Linear>().LastOrDefault();

    public override Tensor forward(Tensor x) =>
        network.forward(_reshape ? x.reshape([x.shape[0], .. _rowShape]) : x);

    public override string WriteOnnx(OnnxGraph g, string input)
    {
        string x = input;
        if (_reshape)
            x = g.AddNode("Reshape", [input, g.Longs("input_shape", BatchShape)], g.UniqueName("input_reshaped"));
        var output = TorchOnnx.Append(g, network, x, BatchShape, InputType);
        if (output.ElementType != OnnxTensorType.Float)
            throw new TorchOnnxExportException("", $"the network returns {output.ElementType} values; a trainer's network returns float scores.");
        return output.Name;
    }
}
