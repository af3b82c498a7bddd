using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>A residual block that writes its own ONNX nodes: relu(x + body(x)), as the README shows it.</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    private readonly Sequential body;

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
        var body = context.Export(this.body, input);
        var sum = context.Node("Add", [input.Name, body.Name], body.Shape);
        return context.Node("Relu", [sum.Name], sum.Shape);
    }
}

/// <summary>Tokens → embedding → recurrent layer → final hidden state of the last layer (both directions) → dense scores.</summary>
public sealed class SequenceClassifier : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    private readonly Embedding embedding;
    private readonly nn.Module recurrent;
    private readonly Linear head;
    private readonly int _hidden, _layers, _directions;

    public SequenceClassifier(string cell, int vocabulary, int hidden, int layers, bool bidirectional, int classes) : base(nameof(SequenceClassifier))
    {
        _hidden = hidden;
        _layers = layers;
        _directions = bidirectional ? 2 : 1;
        embedding = nn.Embedding(vocabulary, 6);
        recurrent = cell switch
        {
            "LSTM" => nn.LSTM(6, hidden, layers, batchFirst: true, bidirectional: bidirectional, dropout: layers > 1 ? 0.4 : 0),
            "GRU" => nn.GRU(6, hidden, layers, batchFirst: true, bidirectional: bidirectional),
            _ => nn.RNN(6, hidden, layers, nn.NonLinearities.ReLU, batchFirst: true, bidirectional: bidirectional),
        };
        head = nn.Linear(_directions * hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        var steps = embedding.forward(tokens);
        Tensor state = recurrent switch
        {
            LSTM lstm => lstm.forward(steps).Item2,
            GRU gru => gru.forward(steps).Item2,
            _ => ((RNN)recurrent).forward(steps, null).Item2,
        };
        var last = state.narrow(0, (_layers - 1) * _directions, _directions).permute(1, 0, 2).reshape(tokens.shape[0], -1);
        return head.forward(last);
    }

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input)
    {
        var steps = context.Export(embedding, input);
        var state = context.ExportRecurrent(recurrent, steps).HiddenState;          // [layers·directions, N, H]
        var g = context.Graph;
        string last = g.AddNode("Slice", [state.Name, context.Longs("from", (_layers - 1) * _directions),
            context.Longs("to", _layers * _directions), context.Longs("axis", 0)], context.Name("last_layer"));
        string byRow = g.AddNode("Transpose", [last], context.Name("by_row"), OnnxAttribute.Ints("perm", 1, 0, 2));
        var features = context.Node("Reshape", [byRow, context.Longs("shape", 0, -1)], [input.Shape[0], _directions * _hidden]);
        return context.Export(head, features);
    }
}

/// <summary>A module the exporter does not know and that does not write its own nodes.</summary>
public sealed class Doubler : nn.Module<Tensor, Tensor>
{
    public Doubler() : base(nameof(Doubler)) { }

    public override Tensor forward(Tensor x) => x * 2;
}

/// <summary>A module whose ONNX nodes do not compute what forward computes (a different output shape).</summary>
public sealed class WrongExport : nn.Module<Tensor, Tensor>, ITorchOnnxExportable
{
    public WrongExport() : base(nameof(WrongExport)) { }

    public override Tensor forward(Tensor x) => x.sum(1, keepdim: true);

    public TorchOnnxValue ExportOnnx(TorchOnnxContext context, TorchOnnxValue input) => input;
}
