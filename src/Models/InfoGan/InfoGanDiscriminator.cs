using MLNetFlows.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// InfoGAN's discriminator D and recognition network Q, which share a body (the paper's MNIST architecture): images
/// [N, C, H, W] in [0, 1] → 4×4/2 convolution c → leaky ReLU → 4×4/2 convolution 2c → BN → leaky ReLU → FC
/// <see cref="InfoGanArchitecture.HiddenUnits"/> → BN → leaky ReLU; D's head is one FC unit (the logit of "real");
/// Q's head is FC <see cref="InfoGanArchitecture.RecognitionUnits"/> → BN → leaky ReLU → FC to the categorical logits,
/// the continuous means and (when learned) their log standard deviations. State names: conv1, conv2, bn2, fc3, bn3
/// (body), d_out (D head), q_fc, q_bn, q_out (Q head).
/// </summary>
public sealed class InfoGanDiscriminator : nn.Module<Tensor, (Tensor Logit, InfoGanRecognition Codes)>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly BatchNormalization bn2;
    private readonly Linear fc3;
    private readonly BatchNormalization bn3;
    private readonly Linear d_out;
    private readonly Linear q_fc;
    private readonly BatchNormalization q_bn;
    private readonly Linear q_out;
    private readonly Scalar _slope;

    /// <summary>Builds D and Q with fresh weights drawn from libtorch's seeded generator.</summary>
    public InfoGanDiscriminator(InfoGanArchitecture architecture)
        : base(nameof(InfoGanDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        _slope = Scalars.Of(architecture.LeakySlope);
        var c = (long)architecture.ConvolutionChannels;
        conv1 = InfoGanLayers.Down(architecture.Channels, c);
        conv2 = InfoGanLayers.Down(c, 2 * c);
        bn2 = new BatchNormalization(2 * c);
        fc3 = nn.Linear(2 * c * (architecture.Height / 4) * (architecture.Width / 4), architecture.HiddenUnits);
        bn3 = new BatchNormalization(architecture.HiddenUnits);
        d_out = nn.Linear(architecture.HiddenUnits, 1);
        q_fc = nn.Linear(architecture.HiddenUnits, architecture.RecognitionUnits);
        q_bn = new BatchNormalization(architecture.RecognitionUnits);
        var continuousOutputs = architecture.LearnContinuousStd ? 2 * architecture.ContinuousCodes : architecture.ContinuousCodes;
        q_out = nn.Linear(architecture.RecognitionUnits, architecture.CategoryUnits + continuousOutputs);
        RegisterComponents();
    }

    /// <summary>The shape D and Q were built for.</summary>
    public InfoGanArchitecture Architecture { get; }

    /// <summary>
    /// D's logit of "real" [N] and Q's inference of the codes for images [N, C, H, W] in [0, 1]. In training mode the
    /// batch statistics of the normalisations span the whole batch (the training loop passes real and generated images
    /// separately, as openai/InfoGAN does).
    /// </summary>
    public override (Tensor Logit, InfoGanRecognition Codes) forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var features = Body(images);
        var logit = d_out.call(features).squeeze(1);
        var codes = Recognize(features);
        return (logit.MoveToOuterDisposeScope(),
            new InfoGanRecognition(codes.CategoryLogits.MoveToOuterDisposeScope(), codes.ContinuousMean.MoveToOuterDisposeScope(), codes.ContinuousLogStd.MoveToOuterDisposeScope()));
    }

    /// <summary>Q's inference of the codes of images [N, C, H, W] in [0, 1] (D's head is not run).</summary>
    public InfoGanRecognition Infer(Tensor images)
    {
        using var scope = NewDisposeScope();
        var codes = Recognize(Body(images));
        return new InfoGanRecognition(codes.CategoryLogits.MoveToOuterDisposeScope(), codes.ContinuousMean.MoveToOuterDisposeScope(), codes.ContinuousLogStd.MoveToOuterDisposeScope());
    }

    private Tensor Body(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var a = Architecture;
        if (images.dim() != 4 || images.size(1) != a.Channels || images.size(2) != a.Height || images.size(3) != a.Width)
        {
            throw new ArgumentException($"expected images [N, {a.Channels}, {a.Height}, {a.Width}], got [{string.Join(", ", images.shape)}]", nameof(images));
        }

        var h = InfoGanLayers.Convolve(conv1, images).leaky_relu(_slope);
        h = bn2.call(conv2.call(InfoGanLayers.Layout(h))).leaky_relu(_slope);
        h = h.reshape(h.size(0), -1);
        return bn3.call(fc3.call(h)).leaky_relu(_slope);
    }

    private InfoGanRecognition Recognize(Tensor features)
    {
        var a = Architecture;
        var q = q_out.call(q_bn.call(q_fc.call(features)).leaky_relu(_slope));
        var logits = q.narrow(1, 0, a.CategoryUnits);
        var mean = q.narrow(1, a.CategoryUnits, a.ContinuousCodes);
        var logStd = a.LearnContinuousStd ? q.narrow(1, a.CategoryUnits + a.ContinuousCodes, a.ContinuousCodes) : zeros_like(mean);
        return new InfoGanRecognition(logits, mean, logStd);
    }
}
