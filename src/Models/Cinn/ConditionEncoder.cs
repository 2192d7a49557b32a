using static TorchSharp.torch;

namespace MLNetFlows.Models.Cinn;

/// <summary>
/// Turns a condition into the feature maps the couplings of each level see (conditions are injected at every scale):
/// one tensor [N, Cc, H/2^(l+1), W/2^(l+1)] per level l. Trained end to end with the flow.
/// </summary>
public abstract class ConditionEncoder : nn.Module
{
    /// <summary>Names the module.</summary>
    private protected ConditionEncoder(string name, ConditionalInnArchitecture architecture)
        : base(name)
    {
        Architecture = architecture;
    }

    /// <summary>The architecture the feature maps are shaped for.</summary>
    public ConditionalInnArchitecture Architecture { get; }

    /// <summary>Per-sample shape of the condition this encoder accepts: [] for class indices, [Cc, H, W] for an image.</summary>
    public abstract long[] ConditionShape { get; }

    /// <summary>
    /// One feature map per level for <paramref name="condition"/> (batch N), in <paramref name="like"/>'s dtype and on its
    /// device. Throws an <see cref="ArgumentException"/> naming the problem when the condition does not fit.
    /// </summary>
    public abstract Tensor[] Encode(Tensor condition, Tensor like);

    /// <summary>Height and width of level <paramref name="level"/>'s feature maps.</summary>
    protected (long Height, long Width) Resolution(int level) =>
        (Architecture.Height >> (level + 1), Architecture.Width >> (level + 1));
}
