using MLExtensions.Networks;
using MLExtensions.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions;

/// <summary>
/// ONNX writers for <c>LSTM</c>, <c>GRU</c> and <c>RNN</c> (stacked, bidirectional, batch-first or time-major) as ONNX's
/// LSTM/GRU/RNN operators, one node per layer, with the gates reordered from PyTorch's layout to ONNX's.
/// </summary>
/// <remarks>
/// TorchSharp keeps these modules' settings in native code. Layers, directions and sizes are read from the parameter
/// names and shapes; whether the input is batch-first is read from the shape of the state that a probe input returns;
/// an RNN's nonlinearity from the first step of a probe compared with tanh and ReLU. A probe that does not decide is
/// refused rather than guessed.
/// </remarks>
internal static class RecurrentWriters
{
    /// <summary>The writer used inside a tree: the module's first output, the output sequence.</summary>
    public static TorchOnnxValue OutputSequence(TorchOnnxContext context, TorchOnnxValue input) => Write(context, input).Output;

    public static TorchOnnxRecurrentOutputs Write(TorchOnnxContext context, TorchOnnxValue input)
    {
        var module = context.Module;
        var (op, gates) = module switch
        {
            LSTM => ("LSTM", 4),
            GRU => ("GRU", 3),
            RNN => ("RNN", 1),
            _ => throw context.Error($"{module.GetType().FullName} is not an LSTM, GRU or RNN."),
        };
        DenseWriters.RequireFloat(context, input);
        context.RequireRank(input, 3, 3, "a batched sequence of rank 3");

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var p = module.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
        if (!p.TryGetValue("weight_ih_l0", out var first) || !p.TryGetValue("weight_hh_l0", out var firstRecurrent))
            throw context.Error($"the {op} has no weight_ih_l0/weight_hh_l0 parameters.");
        long hidden = firstRecurrent.shape[1];
        if (first.shape[0] != gates * hidden)
            throw context.Error($"the {op}'s weight_ih_l0 has shape {TorchOnnxValue.FormatShape(first.shape)}, not [{gates}·{hidden}, input]" +
                " (projections are not exportable).");
        long inputSize = first.shape[1];
        int layers = 0;
        while (p.ContainsKey($"weight_ih_l{layers}"))
            layers++;
        int directions = p.ContainsKey("weight_ih_l0_reverse") ? 2 : 1;
        context.RequireDim(input, 2, inputSize, "input features");

        bool batchFirst = IsBatchFirst(context, module, inputSize, layers * directions);
        string? activation = op == "RNN" ? Nonlinearity(context, (RNN)module, p, inputSize) : null;

        var g = context.Graph;
        long batch = batchFirst ? input.Shape[0] : input.Shape[1];
        long steps = batchFirst ? input.Shape[1] : input.Shape[0];
        string x = batchFirst
            ? g.AddNode("Transpose", [input.Name], context.Name("time_major"), OnnxAttribute.Ints("perm", 1, 0, 2))
            : input.Name;
        var finalHidden = new List<string>();
        var finalCell = new List<string>();
        string y = "";
        for (int layer = 0; layer < layers; layer++)
        {
            if (layer > 0) // [T, D, N, H] → [T, N, D·H]
                x = g.AddNode("Reshape", [g.AddNode("Transpose", [y], context.Name("steps"), OnnxAttribute.Ints("perm", 0, 2, 1, 3)),
                    context.Longs("steps_shape", 0, 0, -1)], context.Name($"layer{layer}.input"));
            var (w, r, b) = Weights(context, p, layer, directions, gates, hidden);
            var attributes = new List<OnnxAttribute>
            {
                OnnxAttribute.Int("hidden_size", hidden),
                OnnxAttribute.String("direction", directions == 2 ? "bidirectional" : "forward"),
            };
            if (op == "GRU")
                attributes.Add(OnnxAttribute.Int("linear_before_reset", 1)); // PyTorch applies the reset gate after the recurrent product
            if (activation is not null)
                attributes.Add(OnnxAttribute.Strings("activations", Enumerable.Repeat(activation, directions).ToArray()));
            y = context.Name($"layer{layer}.y");
            string yh = context.Name($"layer{layer}.y_h");
            string yc = op == "LSTM" ? context.Name($"layer{layer}.y_c") : "";
            g.AddNode(op, [x, w, r, b], op == "LSTM" ? [y, yh, yc] : [y, yh], attributes.ToArray());
            finalHidden.Add(yh);
            if (op == "LSTM")
                finalCell.Add(yc);
        }

        string ordered = g.AddNode("Transpose", [y], context.Name("output_steps"),
            OnnxAttribute.Ints("perm", batchFirst ? [2, 0, 1, 3] : [0, 2, 1, 3]));
        string output = g.AddNode("Reshape", [ordered, context.Longs("output_shape", 0, 0, -1)], context.Name("output"));
        long width = directions * hidden;
        var sequence = new TorchOnnxValue(output, batchFirst ? [batch, steps, width] : [steps, batch, width]);
        long[] stateShape = [layers * directions, batch, hidden];
        var state = new TorchOnnxValue(Stack(context, finalHidden, "h_n"), stateShape);
        var cellState = op == "LSTM" ? new TorchOnnxValue(Stack(context, finalCell, "c_n"), stateShape) : null;
        return new TorchOnnxRecurrentOutputs(sequence, state, cellState);
    }

    private static string Stack(TorchOnnxContext context, List<string> perLayer, string name) =>
        perLayer.Count == 1 ? perLayer[0]
            : context.Graph.AddNode("Concat", perLayer.ToArray(), context.Name(name), OnnxAttribute.Int("axis", 0));

    /// <summary>The module returns its final state as [layers·directions, N, H]; a [2, 3, F] probe tells which dimension it took as N.</summary>
    private static bool IsBatchFirst(TorchOnnxContext context, nn.Module module, long inputSize, long states)
    {
        var device = module.parameters().First().device;
        using var probe = torch.zeros([2, 3, inputSize], device: device);
        var (_, state) = Run(module, probe);
        long n = state.shape.Length == 3 && state.shape[0] == states ? state.shape[1] : -1;
        return n switch
        {
            2 => true,
            3 => false,
            _ => throw context.Error($"could not tell whether the {module.GetType().Name} is batch-first: its final state for a " +
                $"[2, 3, {inputSize}] input has shape {TorchOnnxValue.FormatShape(state.shape)}."),
        };
    }

    /// <summary>An RNN's first hidden state is act(W_ih·x + b_ih + b_hh) for a one-step input; compare it with tanh and ReLU.</summary>
    private static string Nonlinearity(TorchOnnxContext context, RNN rnn, Dictionary<string, Tensor> p, long inputSize)
    {
        var weight = p["weight_ih_l0"];
        using var x = (torch.arange(inputSize, dtype: weight.dtype, device: weight.device) + 1).sin().mul(2);
        var pre = torch.mv(weight, x);
        if (p.TryGetValue("bias_ih_l0", out var bih))
            pre = pre + bih;
        if (p.TryGetValue("bias_hh_l0", out var bhh))
            pre = pre + bhh;
        var (_, state) = Run(rnn, x.reshape(1, 1, inputSize));
        var h = state[0, 0];
        double toTanh = (h - pre.tanh()).abs().max().item<float>();
        double toRelu = (h - pre.relu()).abs().max().item<float>();
        if (toTanh < 1e-5 && toRelu > 1e-4)
            return "Tanh";
        if (toRelu < 1e-5 && toTanh > 1e-4)
            return "Relu";
        throw context.Error("could not tell whether the RNN's nonlinearity is tanh or ReLU from its weights; " +
            "set non-zero weights before exporting.");
    }

    private static (Tensor Output, Tensor State) Run(nn.Module module, Tensor x)
    {
        switch (module)
        {
            case LSTM lstm:
                var (y, h, _) = lstm.forward(x);
                return (y, h);
            case GRU gru:
                return gru.forward(x);
            default:
                return ((RNN)module).forward(x, null);
        }
    }

    /// <summary>ONNX W [D, G·H, in], R [D, G·H, H] and B [D, 2·G·H] for one layer, the gates in ONNX's order.</summary>
    private static (string W, string R, string B) Weights(TorchOnnxContext context, Dictionary<string, Tensor> p, int layer,
        int directions, int gates, long hidden)
    {
        // PyTorch stores LSTM gates as i, f, g, o and GRU gates as r, z, n; ONNX wants i, o, f, c and z, r, h.
        int[] order = gates switch { 4 => [0, 3, 1, 2], 3 => [1, 0, 2], _ => [0] };
        var w = new List<float>();
        var r = new List<float>();
        var b = new List<float>();
        long inputSize = 0;
        for (int d = 0; d < directions; d++)
        {
            string suffix = $"_l{layer}" + (d == 1 ? "_reverse" : "");
            if (!p.TryGetValue("weight_ih" + suffix, out var wih) || !p.TryGetValue("weight_hh" + suffix, out var whh))
                throw context.Error($"missing weight_ih{suffix}/weight_hh{suffix} parameters.");
            inputSize = wih.shape[1];
            w.AddRange(Reorder(wih, order, hidden));
            r.AddRange(Reorder(whh, order, hidden));
            long biasSize = gates * hidden;
            b.AddRange(p.TryGetValue("bias_ih" + suffix, out var bih) ? Reorder(bih, order, hidden) : new float[biasSize]);
            b.AddRange(p.TryGetValue("bias_hh" + suffix, out var bhh) ? Reorder(bhh, order, hidden) : new float[biasSize]);
        }

        long size = gates * hidden;
        return (
            context.Graph.AddInitializer(context.Name($"layer{layer}.W"), w.ToArray(), directions, size, inputSize),
            context.Graph.AddInitializer(context.Name($"layer{layer}.R"), r.ToArray(), directions, size, hidden),
            context.Graph.AddInitializer(context.Name($"layer{layer}.B"), b.ToArray(), directions, 2 * size));
    }

    private static float[] Reorder(Tensor t, int[] order, long hidden)
    {
        using var chunks = t.detach().to(ScalarType.Float32).cpu().reshape(order.Length, hidden, -1);
        return order.SelectMany(i => OnnxLayers.Values(chunks[i])).ToArray();
    }
}
