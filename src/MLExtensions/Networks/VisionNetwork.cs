using MLExtensions.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Networks;

/// <summary>
/// A torchvision architecture with a new head sized for the task: the input normalization its weights expect
/// (<see cref="ImageNormalization"/>), the backbone (<see cref="ImageBackbone"/>, torchvision's names), optional
/// dropout and a dense head on the pooled features. The backbone can be frozen for the first epochs of fine-tuning:
/// its parameters then get no gradients and its batch norm layers stay in evaluation mode (their running statistics
/// are kept) even while the network trains.
/// </summary>
internal sealed class VisionNetwork : NetworkModule
{
    private readonly ImageShape _input;
    private readonly ImageNormalization normalization;
    private readonly ImageBackbone backbone;
    private readonly Dropout? dropout;
    private readonly Linear head;
    private bool _frozen;

    public VisionNetwork(string name, ImageShape input, ImageBackbone backbone, ImageNormalization normalization, double dropout, int outputs)
        : base(name)
    {
        _input = input;
        this.normalization = normalization;
        this.backbone = backbone;
        if (dropout > 0)
            this.dropout = nn.Dropout(dropout);
        head = nn.Linear(backbone.FeatureSize, outputs);
        RegisterComponents();
    }

    public override Linear OutputLayer => head;

    /// <summary>The feature extractor (its state_dict has torchvision's keys).</summary>
    public ImageBackbone Backbone => backbone;

    /// <summary>The input normalization.</summary>
    public ImageNormalization Normalization => normalization;

    /// <summary>The parameters of the new head (everything that is not the backbone).</summary>
    public IEnumerable<Parameter> HeadParameters => head.parameters();

    /// <summary>Whether the backbone is frozen (see <see cref="SetBackboneFrozen"/>).</summary>
    public bool BackboneFrozen => _frozen;

    /// <summary>Freezes (no gradients, batch norm in evaluation mode) or unfreezes the backbone.</summary>
    public void SetBackboneFrozen(bool frozen)
    {
        _frozen = frozen;
        foreach (var p in backbone.parameters())
            p.requires_grad = !frozen;
        if (frozen)
            backbone.eval();
        else
            backbone.train(training);
    }

    /// <inheritdoc />
    public override void train(bool train = true)
    {
        base.train(train);
        if (_frozen)
            backbone.eval();
    }

    /// <summary>The pooled backbone features [N, <see cref="ImageBackbone.FeatureSize"/>] of flat pixel rows [N, C·H·W].</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var image = normalization.forward(x.reshape(-1, _input.Channels, _input.Height, _input.Width));
        Tensor features;
        if (_frozen)
        {
            using var _ = no_grad();
            features = backbone.forward(image);
        }
        else
            features = backbone.forward(image);
        return features.MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = Features(x);
        if (dropout is not null)
            features = dropout.forward(features);
        return head.forward(features).MoveToOuterDisposeScope();
    }

    public override string WriteOnnx(OnnxGraph g, string input)
    {
        var image = normalization.WriteOnnx(g, OnnxLayers.ToImage(g, input, _input));
        string features = backbone.WriteOnnx(g, image, _input);
        RecordValue("features", features);
        return OnnxLayers.Dense(g, features, head, "head");
    }
}
