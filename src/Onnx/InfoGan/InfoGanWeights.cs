using MLNetFlows.Models.InfoGan;
using MLNetFlows.Onnx.Graph;

namespace MLNetFlows.Onnx.InfoGan;

/// <summary>
/// An InfoGAN's weights with each evaluation-mode batch normalisation folded into the layer before it, in float64:
/// BN(W·x + b) = (W·x + b − μ)·γ/√(σ² + ε) + β, so the layer's weight is scaled per output channel and its bias becomes
/// (b − μ)·γ/√(σ² + ε) + β (μ, σ² the running statistics, ε = <see cref="BatchNormalization.Epsilon"/>). State names are the
/// model's: <c>generator.{fc1, bn1, fc2, bn2, deconv1, bn3, deconv2}.*</c>, <c>discriminator.{conv1, conv2, bn2, fc3,
/// bn3, q_fc, q_bn, q_out}.*</c>.
/// </summary>
internal sealed class InfoGanWeights
{
    private readonly StateWeights _state;
    private readonly HashSet<string> _norms;

    public InfoGanWeights(InfoGanModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Architecture = model.Architecture;
        _state = StateWeights.Read(model, "InfoGAN");
        _norms = model.named_modules().Where(m => m.module is BatchNormalization).Select(m => m.name).ToHashSet(StringComparer.Ordinal);
    }

    public InfoGanArchitecture Architecture { get; }

    /// <summary>A layer's weight and bias as stored: <paramref name="weightCount"/> and <paramref name="outChannels"/> values.</summary>
    public (double[] Weight, double[] Bias) Layer(string layer, long weightCount, long outChannels) =>
        ((double[])_state.Get($"{layer}.weight", weightCount).Clone(), (double[])_state.Get($"{layer}.bias", outChannels).Clone());

    /// <summary>
    /// Layer <paramref name="layer"/> followed by batch normalisation <paramref name="norm"/> as one layer. The weight
    /// holds <paramref name="outChannels"/> blocks of <paramref name="perOutput"/> values along its first axis (Linear,
    /// Conv), or <paramref name="inChannels"/> × <paramref name="outChannels"/> × <paramref name="perOutput"/> for a
    /// transposed convolution (<paramref name="transposed"/>).
    /// </summary>
    public (double[] Weight, double[] Bias) LayerThenBatchNorm(string layer, string norm, long outChannels, long perOutput, bool transposed = false, long inChannels = 1)
    {
        var (weight, bias) = Layer(layer, (transposed ? inChannels : 1) * outChannels * perOutput, outChannels);
        var gamma = _state.Get($"{norm}.weight", outChannels);
        var beta = _state.Get($"{norm}.bias", outChannels);
        var mean = _state.Get($"{norm}.running_mean", outChannels);
        var variance = _state.Get($"{norm}.running_var", outChannels);
        if (!_norms.Contains(norm))
        {
            throw new InvalidDataException($"the InfoGAN has no batch normalisation module '{norm}': the model does not match its architecture, so it cannot be exported");
        }

        const double epsilon = BatchNormalization.Epsilon;
        for (var o = 0; o < outChannels; o++)
        {
            var scale = gamma[o] / Math.Sqrt(variance[o] + epsilon);
            bias[o] = ((bias[o] - mean[o]) * scale) + beta[o];
            for (var i = 0; i < (transposed ? inChannels : 1); i++)
            {
                var start = ((i * outChannels) + o) * perOutput;
                for (var j = 0; j < perOutput; j++)
                {
                    weight[start + j] *= scale;
                }
            }
        }

        return (weight, bias);
    }
}
