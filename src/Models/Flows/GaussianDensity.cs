using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>Diagonal Gaussian log-densities and draws, summed per sample over all non-batch dimensions.</summary>
public static class GaussianDensity
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>Σ log N(z; μ, exp(logσ)²) per sample: −½ Σ (log 2π + 2 logσ + (z − μ)²·exp(−2 logσ)).</summary>
    public static Tensor LogProb(Tensor z, Tensor mean, Tensor logStd)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logStd);
        using var scope = NewDisposeScope();
        var standardized = (z - mean) * (-logStd).exp();
        var elementwise = standardized.mul(standardized).add(Of(LogTwoPi), One).add(logStd.mul(Of(2L)), One).mul(Of(-0.5));
        return elementwise.flatten(1).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Draws μ + T·exp(logσ)·ε with ε ~ N(0, I) (T is the sampling temperature).</summary>
    public static Tensor Sample(Tensor mean, Tensor logStd, double temperature)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logStd);
        using var scope = NewDisposeScope();
        var noise = randn_like(mean);
        return mean.add(logStd.exp().mul(noise).mul(Varying(temperature, mean)), One).MoveToOuterDisposeScope();
    }
}
