using MLNetFlows.Torch;

namespace MLNetFlows.Models.Flows;

/// <summary>Diagonal Gaussian log-densities and draws, summed per sample over all non-batch dimensions.</summary>
public static class GaussianDensity
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>Σ log N(z; μ, exp(logσ)²) per sample: −½ Σ (log 2π + 2 logσ + (z − μ)²·exp(−2 logσ)).</summary>
    public static Tensor LogProb(Tensor z, Tensor mean, Tensor logStd)
    {
        using var scope = DisposeScope.Enter();
        var standardized = (z - mean) * (-logStd).Exp();
        var elementwise = ((standardized.Square() + LogTwoPi) + (logStd * 2)) * -0.5;
        return scope.MoveToOuter(elementwise.Flatten(1).Sum([1]));
    }

    /// <summary>Draws μ + T·exp(logσ)·ε with ε ~ N(0, I) (T is the sampling temperature).</summary>
    public static Tensor Sample(Tensor mean, Tensor logStd, double temperature)
    {
        using var scope = DisposeScope.Enter();
        var noise = mean.RandnLike();
        return scope.MoveToOuter(mean + (logStd.Exp() * noise * temperature));
    }
}
