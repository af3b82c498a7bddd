using MLExtensions.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace MLExtensions.Weights;

/// <summary>
/// Reads the weights of a ResNet saved as ONNX (for example ML.NET's ImageNet ResNet-18, a CNTK export whose tensors
/// have generic names such as <c>Parameter91</c>) into a state_dict with torchvision's keys. The names in the file are
/// not used: the graph is walked from its input, node by node — the stem (Conv 7×7 stride 2 → BatchNormalization →
/// Relu → MaxPool 3×3 stride 2), then each residual block (two or three Conv → BatchNormalization steps joined by
/// Relu, an optional 1×1 Conv → BatchNormalization shortcut, Add, Relu) up to the global average pooling — and every
/// kernel, stride, padding and tensor shape is checked on the way. A block with a shortcut projection starts a new
/// stage. What follows the pooling (a classifier) is not read: the new network has its own head.
/// </summary>
/// <remarks>
/// CNTK writes the padding of stride-2 layers as (begin p, end p − 1), torchvision pads p on both sides; on inputs whose
/// sides are even at every stride-2 layer (224, 96, 64…) both take the same windows, so both are accepted. A
/// convolution bias, which torchvision's convolutions do not have, is folded into the following batch norm's mean.
/// </remarks>
internal static class OnnxResNetImporter
{
    /// <summary>The weights under torchvision's names (CPU tensors the caller disposes) and the layout found.</summary>
    public static ImportedResNet Read(string path)
    {
        var reader = OnnxGraphReader.Open(path);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            return Walk(reader, weights);
        }
        catch
        {
            foreach (var t in weights.Values)
                t.Dispose();
            throw;
        }
    }

    private static ImportedResNet Walk(OnnxGraphReader r, Dictionary<string, Tensor> weights)
    {
        var stem = r.Next(r.Input, "Conv");
        CheckConv(r, stem, kernel: 7, stride: 2, inputChannels: 3);
        var stemNorm = r.Next(stem.Output[0], "BatchNormalization");
        AddConvNorm(r, weights, stem, stemNorm, "conv1", "bn1");
        var stemRelu = r.Next(stemNorm.Output[0], "Relu");
        var pool = r.Next(stemRelu.Output[0], "MaxPool");
        CheckWindow(r, pool, kernel: 3, stride: 2);
        string x = pool.Output[0];
        long channels = Dims(r, stem)[0];

        var stages = new List<int>();
        string? kind = null;
        while (true)
        {
            var convs = r.Consumers(x).Where(n => n.OpType == "Conv").ToList();
            if (convs.Count == 0)
                break;
            if (convs.Count > 2)
                throw r.Error($"value '{x}' is read by {convs.Count} Conv nodes; a residual block reads its input with one (and a 1×1 shortcut).");
            var chains = convs.Select(c => Chain(r, c)).ToList();
            var main = chains.OrderByDescending(c => c.Steps.Count).First();
            var shortcut = chains.Count == 2 ? chains.Single(c => !ReferenceEquals(c, main)) : null;
            if (main.Steps.Count is not (2 or 3) || shortcut is { Steps.Count: not 1 })
                throw r.Error($"the block reading '{x}' has {main.Steps.Count} convolutions on its main path" +
                    (shortcut is null ? "" : $" and {shortcut.Steps.Count} on its shortcut") +
                    "; ResNet blocks have 2 (basic) or 3 (bottleneck), and a shortcut has 1.");
            string blockKind = main.Steps.Count == 2 ? "basic" : "bottleneck";
            if (kind is not null && kind != blockKind)
                throw r.Error($"the block reading '{x}' is a {blockKind} block after {kind} blocks.");
            kind = blockKind;
            if (shortcut is not null && !ReferenceEquals(shortcut.Add, main.Add))
                throw r.Error($"the two paths of the block reading '{x}' end in different Add nodes.");
            var add = main.Add;
            string other = shortcut is null ? x : shortcut.Steps[0].Norm.Output[0];
            if (!add.Input.Contains(main.Steps[^1].Norm.Output[0]) || !add.Input.Contains(other))
                throw r.Error($"{OnnxGraphReader.Describe(add)} should add the block's main path and " +
                    (shortcut is null ? $"its input '{x}'" : "its shortcut") + $", but it reads {string.Join(", ", add.Input)}.");

            if (stages.Count == 0 || (shortcut is not null && stages[^1] > 0))
                stages.Add(0);
            string prefix = $"layer{stages.Count}.{stages[^1]}";
            stages[^1]++;

            long planes = Dims(r, main.Steps[0].Conv)[0];
            long stride = BlockStride(r, main, blockKind);
            long outputs = Dims(r, main.Steps[^1].Conv)[0];
            if (blockKind == "basic")
            {
                CheckConv(r, main.Steps[0].Conv, 3, stride, channels);
                CheckConv(r, main.Steps[1].Conv, 3, 1, planes);
            }
            else
            {
                CheckConv(r, main.Steps[0].Conv, 1, 1, channels);
                CheckConv(r, main.Steps[1].Conv, 3, stride, planes);
                CheckConv(r, main.Steps[2].Conv, 1, 1, planes);
            }
            for (int i = 0; i < main.Steps.Count; i++)
                AddConvNorm(r, weights, main.Steps[i].Conv, main.Steps[i].Norm, $"{prefix}.conv{i + 1}", $"{prefix}.bn{i + 1}");
            if (shortcut is not null)
            {
                CheckConv(r, shortcut.Steps[0].Conv, 1, stride, channels);
                AddConvNorm(r, weights, shortcut.Steps[0].Conv, shortcut.Steps[0].Norm, $"{prefix}.downsample.0", $"{prefix}.downsample.1");
            }
            else if (stride != 1 || outputs != channels)
                throw r.Error($"the block reading '{x}' changes the shape (stride {stride}, {channels} → {outputs} channels) without a shortcut projection.");

            channels = outputs;
            x = r.Next(add.Output[0], "Relu").Output[0];
        }

        if (stages.Count == 0)
            throw r.Error($"no residual block follows the stem's max pooling ('{x}').");
        var end = r.Consumers(x);
        if (!end.Any(n => n.OpType is "GlobalAveragePool" or "AveragePool" or "ReduceMean"))
            throw r.Error($"the last block's output '{x}' should go to a global average pooling, but it is read by " +
                (end.Count == 0 ? "no node (it is the graph's output)" : string.Join(", ", end.Select(OnnxGraphReader.Describe))) + ".");
        return new ImportedResNet(weights, kind == "bottleneck", stages.ToArray(),
            $"a ResNet of {kind} blocks {string.Join("-", stages)} ({channels} pooled features)");
    }

    /// <summary>What the walk found: the state_dict, the block kind, the blocks of each stage, a description.</summary>
    public sealed record ImportedResNet(Dictionary<string, Tensor> StateDict, bool Bottleneck, int[] Blocks, string Description);

    private sealed record Step(NodeProto Conv, NodeProto Norm);

    private sealed record PathToAdd(List<Step> Steps, NodeProto Add);

    /// <summary>Conv → BatchNormalization (→ Relu → Conv → BatchNormalization)* → Add, from <paramref name="conv"/>.</summary>
    private static PathToAdd Chain(OnnxGraphReader r, NodeProto conv)
    {
        var steps = new List<Step>();
        while (true)
        {
            var norm = r.Next(conv.Output[0], "BatchNormalization");
            steps.Add(new Step(conv, norm));
            var next = r.Next(norm.Output[0], "Relu", "Add");
            if (next.OpType == "Add")
                return new PathToAdd(steps, next);
            if (steps.Count == 3)
                throw r.Error($"{OnnxGraphReader.Describe(next)}: a residual block with more than three convolutions.");
            conv = r.Next(next.Output[0], "Conv");
        }
    }

    private static long BlockStride(OnnxGraphReader r, PathToAdd main, string kind)
    {
        var conv = main.Steps[kind == "basic" ? 0 : 1].Conv;
        var strides = OnnxGraphReader.Ints(conv, "strides", [1, 1])!;
        if (strides.Length != 2 || strides[0] != strides[1] || strides[0] is not (1 or 2))
            throw r.Error($"{OnnxGraphReader.Describe(conv)} has strides [{string.Join(", ", strides)}]; a ResNet block strides 1 or 2 in both directions.");
        return strides[0];
    }

    private static long[] Dims(OnnxGraphReader r, NodeProto conv)
    {
        if (conv.Input.Count < 2)
            throw r.Error($"{OnnxGraphReader.Describe(conv)} has no weight input.");
        return r.Constant(conv, conv.Input[1]).Dims.ToArray();
    }

    /// <summary>Checks a convolution: square kernel, stride, "same" padding as torchvision (or CNTK) writes it, no groups or dilation.</summary>
    private static void CheckConv(OnnxGraphReader r, NodeProto conv, long kernel, long stride, long inputChannels)
    {
        string name = OnnxGraphReader.Describe(conv);
        var dims = Dims(r, conv);
        if (dims.Length != 4 || dims[1] != inputChannels || dims[2] != kernel || dims[3] != kernel)
            throw r.Error($"{name} has a weight of shape [{string.Join(", ", dims)}]; expected [out, {inputChannels}, {kernel}, {kernel}].");
        if (OnnxGraphReader.Int(conv, "group", 1) != 1)
            throw r.Error($"{name} is a grouped convolution; ResNet's are not.");
        if (OnnxGraphReader.Ints(conv, "dilations", [1, 1])!.Any(d => d != 1))
            throw r.Error($"{name} is dilated; ResNet's convolutions are not.");
        CheckWindow(r, conv, kernel, stride);
    }

    /// <summary>Kernel, strides and padding of a Conv or MaxPool: pad (k − 1)/2 each side, or one less at the end with stride 2.</summary>
    private static void CheckWindow(OnnxGraphReader r, NodeProto node, long kernel, long stride)
    {
        string name = OnnxGraphReader.Describe(node);
        var shape = OnnxGraphReader.Ints(node, "kernel_shape");
        if (shape is not null && (shape.Length != 2 || shape.Any(k => k != kernel)))
            throw r.Error($"{name} has kernel_shape [{string.Join(", ", shape)}]; expected [{kernel}, {kernel}].");
        var strides = OnnxGraphReader.Ints(node, "strides", [1, 1])!;
        if (strides.Length != 2 || strides.Any(s => s != stride))
            throw r.Error($"{name} has strides [{string.Join(", ", strides)}]; expected [{stride}, {stride}].");
        string autoPad = OnnxGraphReader.String(node, "auto_pad", "NOTSET");
        if (autoPad != "NOTSET")
            throw r.Error($"{name} uses auto_pad {autoPad}; only explicit pads are read.");
        long p = (kernel - 1) / 2;
        var pads = OnnxGraphReader.Ints(node, "pads", [0, 0, 0, 0])!;
        bool symmetric = pads.Length == 4 && pads.All(v => v == p);
        bool cntk = stride == 2 && p > 0 && pads.Length == 4 && pads[0] == p && pads[1] == p && pads[2] == p - 1 && pads[3] == p - 1;
        if (!symmetric && !cntk)
            throw r.Error($"{name} has pads [{string.Join(", ", pads)}]; expected [{p}, {p}, {p}, {p}]" +
                (stride == 2 && p > 0 ? $" (or [{p}, {p}, {p - 1}, {p - 1}])." : "."));
        if (node.OpType == "MaxPool" && OnnxGraphReader.Int(node, "ceil_mode", 0) != 0)
            throw r.Error($"{name} uses ceil_mode; torchvision's max pooling does not.");
    }

    /// <summary>Adds a conv's weight and the following batch norm's four tensors (a conv bias folded into its mean).</summary>
    private static void AddConvNorm(OnnxGraphReader r, Dictionary<string, Tensor> weights, NodeProto conv, NodeProto norm, string convKey, string normKey)
    {
        var (w, wDims) = r.Floats(conv, conv.Input[1]);
        long outputs = wDims[0];
        float[]? bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? r.Floats(conv, conv.Input[2]).Values : null;
        if (bias is not null && bias.Length != outputs)
            throw r.Error($"{OnnxGraphReader.Describe(conv)} has {bias.Length} biases for {outputs} output channels.");

        string normName = OnnxGraphReader.Describe(norm);
        if (norm.Input.Count != 5)
            throw r.Error($"{normName} has {norm.Input.Count} inputs; expected X, scale, B, mean and var.");
        float epsilon = OnnxGraphReader.Float(norm, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - 1e-5f) > 1e-8f)
            throw r.Error($"{normName} has epsilon {epsilon}; torchvision's BatchNorm2d uses 1e-5.");
        if (OnnxGraphReader.Int(norm, "spatial", 1) != 1)
            throw r.Error($"{normName} is not spatial (per-channel) batch normalization.");
        var parts = new float[4][];
        string[] names = ["weight", "bias", "running_mean", "running_var"];
        for (int i = 0; i < 4; i++)
        {
            var (values, dims) = r.Floats(norm, norm.Input[i + 1]);
            if (values.Length != outputs || dims.Count(d => d != 1) > 1)
                throw r.Error($"{normName}: its {names[i]} has shape [{string.Join(", ", dims)}]; " +
                    $"expected [{outputs}] for the {outputs} channels of {OnnxGraphReader.Describe(conv)}.");
            parts[i] = values;
        }
        if (bias is not null)
            for (int c = 0; c < outputs; c++)
                parts[2][c] -= bias[c];

        weights[convKey + ".weight"] = tensor(w, wDims);
        for (int i = 0; i < 4; i++)
            weights[$"{normKey}.{names[i]}"] = tensor(parts[i], [outputs]);
        weights[normKey + ".num_batches_tracked"] = tensor(0L);
    }
}
