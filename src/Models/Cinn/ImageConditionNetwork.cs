using MLNetFlows.Models.Flows;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Cinn;

/// <summary>
/// The conditioning network for an image condition (the conditional INN paper's colorization setup): level l's
/// feature maps are h_l = avgpool₂(ReLU(conv3×3(h_{l−1}))), h_{−1} the condition image [Cc, H, W], so they have
/// <see cref="ConditionalInnArchitecture.ConditionFeatureChannels"/> channels at exactly level l's resolution
/// H/2^(l+1) × W/2^(l+1). Xavier-initialised, zero biases, trained end to end with the flow; convolutions through
/// <see cref="FlowExecution.Conv2d"/>. State names: <c>level{l}_weight</c>, <c>level{l}_bias</c> (looked up by name at each call, so <c>to(dtype)</c> and loading keep working).
/// </summary>
public sealed class ImageConditionNetwork : ConditionEncoder
{
    /// <summary>Creates the network, drawing from libtorch's generator.</summary>
    public ImageConditionNetwork(ConditionalInnArchitecture architecture)
        : base(nameof(ImageConditionNetwork), architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        long inChannels = architecture.ConditionImageChannels;
        for (var level = 0; level < architecture.Levels; level++)
        {
            using (var scope = NewDisposeScope())
            {
                var weight = empty(architecture.ConditionFeatureChannels, inChannels, 3, 3);
                nn.init.xavier_uniform_(weight);
                register_parameter(WeightName(level), nn.Parameter(weight.MoveToOuterDisposeScope()).Owned());
            }

            register_parameter(BiasName(level), nn.Parameter(zeros(architecture.ConditionFeatureChannels)).Owned());
            inChannels = architecture.ConditionFeatureChannels;
        }
    }

    /// <inheritdoc />
    public override long[] ConditionShape => [Architecture.ConditionImageChannels, Architecture.Height, Architecture.Width];

    /// <inheritdoc />
    public override Tensor[] Encode(Tensor condition, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(like);
        if (condition.dim() != 4 || !condition.shape[1..].SequenceEqual(ConditionShape) || !condition.is_floating_point())
        {
            throw new ArgumentException($"an image condition must be floating-point of shape [N, {string.Join(", ", ConditionShape)}], got {condition.dtype} {InvertibleBlock.Format(condition.shape)}", nameof(condition));
        }

        using var scope = NewDisposeScope();
        var parameters = named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var h = condition.to(like.dtype, like.device);
        var maps = new Tensor[Architecture.Levels];
        for (var level = 0; level < maps.Length; level++)
        {
            var features = FlowExecution.Conv2d(h, parameters[WeightName(level)], parameters[BiasName(level)], padding: 1).relu_();
            h = nn.functional.avg_pool2d(features, 2);
            maps[level] = h;
        }

        return maps.Select(m => m.MoveToOuterDisposeScope()).ToArray();
    }

    private static string WeightName(int level) => $"level{level}_weight";

    private static string BiasName(int level) => $"level{level}_bias";
}
