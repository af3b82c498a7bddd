using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>A transformer encoder layer: self-attention and a ReLU feed-forward block, each with a residual connection and layer norm (pre- or post-).</summary>
internal sealed class EncoderLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MultiHeadSelfAttention attention;
    private readonly LayerNorm norm1, norm2;
    private readonly Linear feedForward1, feedForward2;
    private readonly Dropout dropout;
    private readonly bool _preNorm;

    public EncoderLayer(string name, int dimension, int heads, int feedForward, double dropoutRate, bool preNorm, int window) : base(name)
    {
        attention = new MultiHeadSelfAttention(name + ".attention", dimension, heads, window);
        norm1 = nn.LayerNorm(dimension);
        norm2 = nn.LayerNorm(dimension);
        feedForward1 = nn.Linear(dimension, feedForward);
        feedForward2 = nn.Linear(feedForward, dimension);
        dropout = nn.Dropout(dropoutRate);
        _preNorm = preNorm;
        RegisterComponents();
    }

    private Tensor FeedForward(Tensor x) => feedForward2.forward(nn.functional.relu(feedForward1.forward(x)));

    public override Tensor forward(Tensor x, Tensor mask)
    {
        if (_preNorm)
        {
            x = x + dropout.forward(attention.forward(norm1.forward(x), mask));
            return x + dropout.forward(FeedForward(norm2.forward(x)));
        }
        x = norm1.forward(x + dropout.forward(attention.forward(x, mask)));
        return norm2.forward(x + dropout.forward(FeedForward(x)));
    }

    public string WriteOnnx(OnnxGraph g, string x, string bias, out string weights)
    {
        string name = GetName();
        string w = "";
        string Attention(string input) => attention.WriteOnnx(g, input, bias, name + ".attention", out w);
        string FeedForward(string input) => OnnxLayers.DenseNd(g, g.AddNode("Relu", [OnnxLayers.DenseNd(g, input, feedForward1, name + ".ff1")], g.UniqueName(name + ".relu")), feedForward2, name + ".ff2");
        string Add(string a, string b) => g.AddNode("Add", [a, b], g.UniqueName(name + ".residual"));
        if (_preNorm)
        {
            x = Add(x, Attention(OnnxLayers.LayerNorm(g, x, norm1, name + ".norm1")));
            x = Add(x, FeedForward(OnnxLayers.LayerNorm(g, x, norm2, name + ".norm2")));
        }
        else
        {
            x = OnnxLayers.LayerNorm(g, Add(x, Attention(x)), norm1, name + ".norm1");
            x = OnnxLayers.LayerNorm(g, Add(x, FeedForward(x)), norm2, name + ".norm2");
        }
        weights = w;
        return x;
    }
}
