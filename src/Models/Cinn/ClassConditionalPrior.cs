using MLNetFlows.Models.Flows;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Cinn;

/// <summary>
/// The latent prior of <see cref="LatentPrior.ClassGaussian"/>: for class c a diagonal Gaussian N(μ_c, diag σ_c²) over
/// the concatenated latents of all levels (finest level first, as <see cref="ConditionalInnModel.Evaluate"/> returns
/// them), with μ_c and log σ_c learned with the flow and zero at first, so training starts from the paper's N(0, I).
/// Glow's class-conditional top prior and the class means of the information-bottleneck INN (Ardizzone et al. 2020)
/// put the class into the latent the same way; here it adds to the condition the couplings already see.
/// State names: <c>mean</c>, <c>log_std</c> (each [K, D]).
/// </summary>
public sealed class ClassConditionalPrior : nn.Module
{
    [ComponentName(Name = "mean")]
    private readonly Parameter _mean;

    [ComponentName(Name = "log_std")]
    private readonly Parameter _logStd;

    /// <summary>Creates the prior of <paramref name="classes"/> classes over <paramref name="dimensions"/> latent dimensions, N(0, I) for every class.</summary>
    public ClassConditionalPrior(int classes, long dimensions)
        : base(nameof(ClassConditionalPrior))
    {
        _mean = nn.Parameter(zeros(classes, dimensions)).Owned();
        _logStd = nn.Parameter(zeros(classes, dimensions)).Owned();
        RegisterComponents();
    }

    /// <summary>log N(z; μ_c, diag σ_c²) per row of the latents <paramref name="latent"/> [N, D] for the class indices <paramref name="labels"/> (Int64 [N]).</summary>
    public Tensor LogProb(Tensor latent, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var (mean, logStd) = Parameters(labels, latent.dtype);
        return GaussianDensity.LogProb(latent, mean, logStd).MoveToOuterDisposeScope();
    }

    /// <summary>The latents μ_c + σ_c·ε of the standard normal draws <paramref name="noise"/> [N, D] (temperature already applied) for the class indices <paramref name="labels"/>.</summary>
    public Tensor FromStandard(Tensor noise, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var (mean, logStd) = Parameters(labels, noise.dtype);
        return mean.add(logStd.exp().mul(noise), One).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor LogStd) Parameters(Tensor labels, ScalarType dtype)
    {
        var indices = labels.to(_mean.device);
        return (_mean.to(dtype).index_select(0, indices), _logStd.to(dtype).index_select(0, indices));
    }
}
