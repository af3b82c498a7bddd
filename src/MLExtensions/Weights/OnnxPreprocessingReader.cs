using MLExtensions.Networks;
using MLExtensions.Onnx.Proto;

namespace MLExtensions.Weights;

/// <summary>
/// Reads the input normalization of a preprocessing ONNX model, such as the <c>ResNetPreprocess.onnx</c> that ML.NET's
/// DnnImageFeaturizer runs before its ResNets: the chain of nodes from the model's input (pixel values 0–255, channels
/// R, G, B as ExtractPixels writes them) to its output may reorder the channels (<c>Split</c> on axis 1 then
/// <c>Concat</c> on axis 1: ResNetPreprocess turns RGB into BGR) and apply <c>Sub</c>, <c>Add</c>, <c>Mul</c> and
/// <c>Div</c> with constants (ResNetPreprocess subtracts a 224×224 mean image). The result is one
/// <see cref="PixelNormalization"/>; any other node is an error naming it.
/// </summary>
internal static class OnnxPreprocessingReader
{
    public static PixelNormalization Read(string path)
    {
        var r = OnnxGraphReader.Open(path);
        int[] order = [0, 1, 2];
        var scale = new float[] { 1, 1, 1 };
        var offset = new float[] { 0, 0, 0 };
        int height = 1, width = 1;
        var steps = new List<string>();
        string x = r.Input;
        var outputs = r.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        while (!outputs.Contains(x))
        {
            var node = r.Next(x, "Split", "Sub", "Add", "Mul", "Div");
            if (node.OpType == "Split")
            {
                if (OnnxGraphReader.Int(node, "axis", 0) != 1 || node.Output.Count != 3)
                    throw r.Error($"{OnnxGraphReader.Describe(node)} should split the 3 channels (axis 1).");
                var concat = r.Next(node.Output[0], "Concat");
                if (OnnxGraphReader.Int(concat, "axis", 0) != 1 || concat.Input.Count != 3
                    || node.Output.Any(o => !concat.Input.Contains(o)) || node.Output.Any(o => r.Consumers(o).Count != 1))
                    throw r.Error($"{OnnxGraphReader.Describe(concat)} should concatenate the three channels of {OnnxGraphReader.Describe(node)} on axis 1.");
                var picked = concat.Input.Select(name => node.Output.IndexOf(name)).ToArray();
                order = picked.Select(p => order[p]).ToArray();
                scale = picked.Select(p => scale[p]).ToArray();
                offset = Permute(offset, picked, height * width);
                steps.Add("channels " + string.Join("", order.Select(o => "RGB"[o])));
                x = concat.Output[0];
                continue;
            }

            string constantName = node.Input.FirstOrDefault(i => i != x) ?? "";
            if (node.Input.Count != 2 || node.Input[0] != x)
                throw r.Error($"{OnnxGraphReader.Describe(node)} should compute the previous value {node.OpType} a constant.");
            var (values, dims) = r.Floats(node, constantName);
            var (c, h, w) = Broadcast(r, node, dims);
            if (node.OpType is "Mul" or "Div")
            {
                if (h * w != 1)
                    throw r.Error($"{OnnxGraphReader.Describe(node)} scales by a per-pixel constant of shape [{string.Join(", ", dims)}]; only per-channel or single factors are read.");
                for (int ch = 0; ch < 3; ch++)
                {
                    float f = values[c == 1 ? 0 : ch];
                    if (node.OpType == "Div")
                        f = 1 / f;
                    scale[ch] *= f;
                    for (int i = 0; i < height * width; i++)
                        offset[ch * height * width + i] *= f;
                }
                steps.Add($"{node.OpType} [{string.Join(", ", dims)}]");
            }
            else
            {
                if (h * w > 1)
                {
                    if (height * width > 1 && (h != height || w != width))
                        throw r.Error($"{OnnxGraphReader.Describe(node)} subtracts a {h}×{w} image after a {height}×{width} one.");
                    offset = Expand(offset, height * width, h * w);
                    (height, width) = (h, w);
                }
                float sign = node.OpType == "Sub" ? 1 : -1;
                for (int ch = 0; ch < 3; ch++)
                    for (int i = 0; i < height * width; i++)
                        offset[ch * height * width + i] += sign * values[(c == 1 ? 0 : ch) * h * w + (h * w == 1 ? 0 : i)];
                steps.Add($"{node.OpType} [{string.Join(", ", dims)}]" + (h * w > 1 ? " (a mean image)" : ""));
            }
            x = node.Output[0];
        }

        return new PixelNormalization(order, scale, offset, height, width,
            $"{Path.GetFileName(path)}: {(steps.Count == 0 ? "identity" : string.Join(", ", steps))}");
    }

    /// <summary>The channel count (1 or 3) and spatial size a constant broadcasts over in an [N, 3, H, W] value.</summary>
    private static (int Channels, int Height, int Width) Broadcast(OnnxGraphReader r, NodeProto node, long[] dims)
    {
        long[] full = [.. Enumerable.Repeat(1L, Math.Max(0, 4 - dims.Length)), .. dims];
        if (full.Length != 4 || full[0] != 1 || full[1] is not (1 or 3))
            throw r.Error($"{OnnxGraphReader.Describe(node)} reads a constant of shape [{string.Join(", ", dims)}]; " +
                "expected one value, one per channel ([3, 1, 1]) or one per pixel ([1, 3, H, W]).");
        return ((int)full[1], (int)full[2], (int)full[3]);
    }

    private static float[] Permute(float[] offset, int[] picked, int pixels)
    {
        var result = new float[offset.Length];
        for (int ch = 0; ch < 3; ch++)
            Array.Copy(offset, picked[ch] * pixels, result, ch * pixels, pixels);
        return result;
    }

    private static float[] Expand(float[] offset, int pixels, int newPixels)
    {
        if (pixels == newPixels)
            return offset;
        var result = new float[3 * newPixels];
        for (int ch = 0; ch < 3; ch++)
            Array.Fill(result, offset[ch * pixels], ch * newPixels, newPixels);
        return result;
    }
}
