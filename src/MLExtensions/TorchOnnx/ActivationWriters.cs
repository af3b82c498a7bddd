using MLExtensions.Onnx;
using TorchSharp.Modules;

namespace MLExtensions;

/// <summary>ONNX writers for the element-wise activations and the softmax layers.</summary>
internal static class ActivationWriters
{
    public static TorchOnnxValue Relu(TorchOnnxContext c, TorchOnnxValue x) => Unary(c, x, "Relu");

    public static TorchOnnxValue Sigmoid(TorchOnnxContext c, TorchOnnxValue x) => Unary(c, x, "Sigmoid");

    public static TorchOnnxValue Tanh(TorchOnnxContext c, TorchOnnxValue x) => Unary(c, x, "Tanh");

    public static TorchOnnxValue Softsign(TorchOnnxContext c, TorchOnnxValue x) => Unary(c, x, "Softsign");

    /// <summary>ONNX's Selu defaults are PyTorch's constants (α ≈ 1.6733, λ ≈ 1.0507).</summary>
    public static TorchOnnxValue Selu(TorchOnnxContext c, TorchOnnxValue x) => Unary(c, x, "Selu");

    public static TorchOnnxValue LeakyRelu(TorchOnnxContext c, TorchOnnxValue x) =>
        Unary(c, x, "LeakyRelu", OnnxAttribute.Float("alpha", (float)((LeakyReLU)c.Module).negative_slope));

    public static TorchOnnxValue Elu(TorchOnnxContext c, TorchOnnxValue x) =>
        Unary(c, x, "Elu", OnnxAttribute.Float("alpha", (float)((ELU)c.Module).alpha));

    public static TorchOnnxValue Relu6(TorchOnnxContext c, TorchOnnxValue x) => Clip(c, x, 0, 6);

    /// <summary>x·σ(x).</summary>
    public static TorchOnnxValue Silu(TorchOnnxContext c, TorchOnnxValue x)
    {
        var sigmoid = Unary(c, x, "Sigmoid");
        return c.Node("Mul", [x.Name, sigmoid.Name], x.Shape);
    }

    /// <summary>x·tanh(softplus(x)).</summary>
    public static TorchOnnxValue Mish(TorchOnnxContext c, TorchOnnxValue x)
    {
        var softplus = Unary(c, x, "Softplus");
        var tanh = c.Node("Tanh", [softplus.Name], x.Shape);
        return c.Node("Mul", [x.Name, tanh.Name], x.Shape);
    }

    /// <summary>
    /// GELU from Erf (opset 17 has no Gelu): x·(1 + erf(x/√2))/2, or with the tanh approximation
    /// x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2.
    /// </summary>
    public static TorchOnnxValue Gelu(TorchOnnxContext c, TorchOnnxValue x)
    {
        DenseWriters.RequireFloat(c, x);
        var gelu = (GELU)c.Module;
        string inner;
        if (gelu.approximate == GELU.Approximate.tanh)
        {
            string cube = c.Graph.AddNode("Pow", [x.Name, c.Constant("three", [3f])], c.Name("cube"));
            string scaledCube = c.Graph.AddNode("Mul", [cube, c.Constant("coefficient", [0.044715f])], c.Name("scaled_cube"));
            string sum = c.Graph.AddNode("Add", [x.Name, scaledCube], c.Name("sum"));
            string scaled = c.Graph.AddNode("Mul", [sum, c.Constant("sqrt_2_over_pi", [(float)Math.Sqrt(2 / Math.PI)])], c.Name("scaled"));
            inner = c.Graph.AddNode("Tanh", [scaled], c.Name("tanh"));
        }
        else if (gelu.approximate == GELU.Approximate.none)
        {
            string scaled = c.Graph.AddNode("Mul", [x.Name, c.Constant("inv_sqrt2", [(float)(1 / Math.Sqrt(2))])], c.Name("scaled"));
            inner = c.Graph.AddNode("Erf", [scaled], c.Name("erf"));
        }
        else
        {
            throw c.Error($"GELU approximation '{gelu.approximate}' is not exportable.");
        }

        string onePlus = c.Graph.AddNode("Add", [inner, c.Constant("one", [1f])], c.Name("one_plus"));
        string half = c.Graph.AddNode("Mul", [x.Name, c.Constant("half", [0.5f])], c.Name("half_x"));
        return c.Node("Mul", [half, onePlus], x.Shape);
    }

    /// <summary>PyTorch's softplus: log(1 + exp(β·x))/β, and x itself where β·x exceeds the threshold.</summary>
    public static TorchOnnxValue Softplus(TorchOnnxContext c, TorchOnnxValue x)
    {
        DenseWriters.RequireFloat(c, x);
        var softplus = (Softplus)c.Module;
        float beta = (float)softplus.beta, threshold = (float)softplus.threshold;
        if (!(beta > 0) || float.IsNaN(threshold))
            throw c.Error($"Softplus with beta {softplus.beta} and threshold {softplus.threshold} is not exportable (beta must be positive).");
        var g = c.Graph;
        string scaled = beta == 1 ? x.Name : g.AddNode("Mul", [x.Name, c.Constant("beta", [beta])], c.Name("scaled"));
        string smooth = g.AddNode("Softplus", [scaled], c.Name("smooth"));
        if (beta != 1)
            smooth = g.AddNode("Div", [smooth, c.Constant("beta", [beta])], c.Name("smooth_scaled"));
        string linear = g.AddNode("Greater", [scaled, c.Constant("threshold", [threshold])], c.Name("linear"));
        return c.Node("Where", [linear, x.Name, smooth], x.Shape);
    }

    public static TorchOnnxValue Softmax(TorchOnnxContext c, TorchOnnxValue x) =>
        Unary(c, x, "Softmax", OnnxAttribute.Int("axis", ShapeWriters.Axis(c, ((Softmax)c.Module).dim, x.Rank, "dim")));

    public static TorchOnnxValue LogSoftmax(TorchOnnxContext c, TorchOnnxValue x) =>
        Unary(c, x, "LogSoftmax", OnnxAttribute.Int("axis", ShapeWriters.Axis(c, ((LogSoftmax)c.Module).dim, x.Rank, "dim")));

    private static TorchOnnxValue Clip(TorchOnnxContext c, TorchOnnxValue x, float min, float max) =>
        Unary(c, x, "Clip", [], c.Constant("min", [min]), c.Constant("max", [max]));

    private static TorchOnnxValue Unary(TorchOnnxContext c, TorchOnnxValue x, string op, params OnnxAttribute[] attributes) =>
        Unary(c, x, op, attributes, []);

    private static TorchOnnxValue Unary(TorchOnnxContext c, TorchOnnxValue x, string op, OnnxAttribute[] attributes, params string[] extraInputs)
    {
        DenseWriters.RequireFloat(c, x);
        return c.Node(op, [x.Name, .. extraInputs], x.Shape, attributes);
    }
}
