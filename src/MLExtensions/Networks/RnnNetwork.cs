using MLExtensions.Onnx;
using MLExtensions.Inputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A stacked (optionally bidirectional) Elman RNN, LSTM or GRU over packed variable-length sequences, read out as the
/// final state or the mean over valid steps, then a dense output layer; or, for per-step output, the dense layer on
/// every step's output ([N, T, outputs]; padded steps give values nobody reads). The ONNX export uses ONNX's own RNN/LSTM/GRU
/// operators with <c>sequence_lens</c>, the gates reordered from PyTorch's layout to ONNX's.
/// </summary>
internal sealed class RnnNetwork : NetworkModule
{
    private readonly SequenceInput input;
    private readonly nn.Module recurrent;
    private readonly Linear head;
    private readonly RnnCell _cell;
    private readonly RnnNonlinearity _nonlinearity;
    private readonly int _hidden, _layers, _directions;
    private readonly SequenceReadout _readout;
    private readonly bool _perStep;

    public RnnNetwork(InputLayout layout, RnnOptions o, int outputs) : base("Rnn")
    {
        input = SequenceInput.For(layout, o.OneHot, o.EmbeddingSize);
        _cell = o.Cell;
        _nonlinearity = o.Nonlinearity;
        _hidden = o.HiddenSize;
        _layers = o.Layers;
        _directions = o.Bidirectional ? 2 : 1;
        _readout = o.Readout;
        _perStep = o.Output == SequenceOutput.PerStep;
        recurrent = o.Cell switch
        {
            RnnCell.Lstm => nn.LSTM(input.FeatureSize, o.HiddenSize, o.Layers, batchFirst: true, dropout: o.Dropout, bidirectional: o.Bidirectional),
            RnnCell.Gru => nn.GRU(input.FeatureSize, o.HiddenSize, o.Layers, batchFirst: true, dropout: o.Dropout, bidirectional: o.Bidirectional),
            _ => nn.RNN(input.FeatureSize, o.HiddenSize, o.Layers,
                o.Nonlinearity == RnnNonlinearity.Relu ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh,
                batchFirst: true, dropout: o.Dropout, bidirectional: o.Bidirectional),
        };
        head = nn.Linear(_hidden * _directions, outputs);
        RegisterComponents();
    }

    public override Linear OutputLayer => head;

    public override Tensor forward(Tensor x)
    {
        var (steps, mask) = input.Encode(x);
        using var lengths = mask.sum(1).cpu();
        var packed = nn.utils.rnn.pack_padded_sequence(steps, lengths, batch_first: true, enforce_sorted: false);
        nn.utils.rnn.PackedSequence output;
        Tensor state;
        switch (recurrent)
        {
            case LSTM lstm: (output, state, _) = lstm.call(packed, null); break;
            case GRU gru: (output, state) = gru.call(packed, null); break;
            default: (output, state) = ((RNN)recurrent).call(packed, null); break;
        }
        Tensor features;
        if (_perStep)
        {
            var (padded, _) = nn.utils.rnn.pad_packed_sequence(output, batch_first: true, total_length: steps.shape[1]);
            return head.forward(padded);
        }
        if (_readout == SequenceReadout.LastState)
        {
            // state: [layers·directions, N, H]; the last layer's directions, side by side.
            var last = state.narrow(0, (_layers - 1) * _directions, _directions);
            features = last.permute(1, 0, 2).reshape(x.shape[0], _directions * _hidden);
        }
        else
        {
            var (padded, _) = nn.utils.rnn.pad_packed_sequence(output, batch_first: true);
            features = padded.sum(1) / mask.sum(1, keepdim: true).to(padded.dtype);
        }
        return head.forward(features);
    }

    public override string WriteOnnx(OnnxGraph g, string inputName)
    {
        var (steps, mask, lengths) = input.WriteOnnx(g, inputName);
        var x = g.AddNode("Transpose", [steps], g.UniqueName("time_major"), OnnxAttribute.Ints("perm", 1, 0, 2));
        var parameters = recurrent.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        string y = "", yh = "";
        for (int layer = 0; layer < _layers; layer++)
        {
            if (layer > 0) // [T, D, N, H] → [T, N, D·H]
                x = g.AddNode("Reshape", [g.AddNode("Transpose", [y], g.UniqueName("y_t"), OnnxAttribute.Ints("perm", 0, 2, 1, 3)),
                    g.AddInitializer(g.UniqueName("layer_input_shape"), new long[] { 0, 0, -1 }, 3)], g.UniqueName("layer_input"));
            var (w, r, b) = Weights(g, parameters, layer);
            var attributes = new List<OnnxAttribute>
            {
                OnnxAttribute.Int("hidden_size", _hidden),
                OnnxAttribute.String("direction", _directions == 2 ? "bidirectional" : "forward"),
            };
            string op = _cell switch { RnnCell.Lstm => "LSTM", RnnCell.Gru => "GRU", _ => "RNN" };
            if (_cell == RnnCell.Gru)
                attributes.Add(OnnxAttribute.Int("linear_before_reset", 1));
            if (_cell == RnnCell.Rnn)
                attributes.Add(OnnxAttribute.Strings("activations", Enumerable.Repeat(_nonlinearity == RnnNonlinearity.Relu ? "Relu" : "Tanh", _directions).ToArray()));
            y = g.UniqueName($"layer{layer}.y");
            yh = g.UniqueName($"layer{layer}.y_h");
            var outputs = _cell == RnnCell.Lstm ? new[] { y, yh, "" } : new[] { y, yh };
            g.AddNode(op, [x, w, r, b, lengths], outputs, attributes.ToArray());
        }

        string features;
        if (_perStep)
        {
            var byRow = g.AddNode("Transpose", [y], g.UniqueName("y_by_row"), OnnxAttribute.Ints("perm", 2, 0, 1, 3));
            var stepOutputs = g.AddNode("Reshape", [byRow, g.Longs("y_shape", 0, 0, -1)], g.UniqueName("step_outputs"));
            return OnnxLayers.DenseNd(g, stepOutputs, head, "head");
        }
        if (_readout == SequenceReadout.LastState)
        {
            var byRow = g.AddNode("Transpose", [yh], g.UniqueName("state_by_row"), OnnxAttribute.Ints("perm", 1, 0, 2));
            features = g.AddNode("Reshape", [byRow, g.AddInitializer(g.UniqueName("state_shape"), new long[] { 0, -1 }, 2)], g.UniqueName("final_state"));
        }
        else
        {
            var byRow = g.AddNode("Transpose", [y], g.UniqueName("y_by_row"), OnnxAttribute.Ints("perm", 2, 0, 1, 3));
            var flat = g.AddNode("Reshape", [byRow, g.AddInitializer(g.UniqueName("y_shape"), new long[] { 0, 0, -1 }, 3)], g.UniqueName("y_rows"));
            var masked = g.AddNode("Mul", [flat, g.AddNode("Unsqueeze", [mask, g.AddInitializer(g.UniqueName("axis2"), new long[] { 2 }, 1)], g.UniqueName("mask3"))], g.UniqueName("masked"));
            var sum = g.AddNode("ReduceSum", [masked, g.AddInitializer(g.UniqueName("axis1"), new long[] { 1 }, 1)], g.UniqueName("step_sum"), OnnxAttribute.Int("keepdims", 0));
            var count = g.AddNode("ReduceSum", [mask, g.AddInitializer(g.UniqueName("axis1"), new long[] { 1 }, 1)], g.UniqueName("step_count"), OnnxAttribute.Int("keepdims", 1));
            features = g.AddNode("Div", [sum, count], g.UniqueName("step_mean"));
        }
        return OnnxLayers.Dense(g, features, head, "head");
    }

    /// <summary>ONNX W [D, G·H, in], R [D, G·H, H], B [D, 2·G·H] for one layer, gates reordered to ONNX's order.</summary>
    private (string W, string R, string B) Weights(OnnxGraph g, Dictionary<string, Tensor> p, int layer)
    {
        // PyTorch stores LSTM gates as i, f, g, o and GRU gates as r, z, n; ONNX wants i, o, f, c and z, r, h.
        int[] order = _cell switch { RnnCell.Lstm => [0, 3, 1, 2], RnnCell.Gru => [1, 0, 2], _ => [0] };
        var w = new List<float>();
        var r = new List<float>();
        var b = new List<float>();
        long inputSize = 0;
        for (int d = 0; d < _directions; d++)
        {
            string suffix = $"_l{layer}" + (d == 1 ? "_reverse" : "");
            var wih = p["weight_ih" + suffix];
            inputSize = wih.shape[1];
            w.AddRange(Reorder(wih, order));
            r.AddRange(Reorder(p["weight_hh" + suffix], order));
            b.AddRange(Reorder(p["bias_ih" + suffix], order));
            b.AddRange(Reorder(p["bias_hh" + suffix], order));
        }
        long gates = order.Length * _hidden;
        return (
            g.AddInitializer(g.UniqueName($"layer{layer}.W"), w.ToArray(), _directions, gates, inputSize),
            g.AddInitializer(g.UniqueName($"layer{layer}.R"), r.ToArray(), _directions, gates, _hidden),
            g.AddInitializer(g.UniqueName($"layer{layer}.B"), b.ToArray(), _directions, 2 * gates));
    }

    private IEnumerable<float> Reorder(Tensor t, int[] order)
    {
        using var chunks = t.detach().cpu().reshape(order.Length, _hidden, -1);
        return order.SelectMany(i => OnnxLayers.Values(chunks[i])).ToArray();
    }
}
