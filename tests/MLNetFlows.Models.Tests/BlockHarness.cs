using MLNetFlows.Models.Flows;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>
/// The shared checks every invertible block must pass (DESIGN.md §4), in the spirit of normflows' flow_test and
/// FrEIA's numerical log-Jacobian: round trip, log-det(f) + log-det(f⁻¹) = 0, analytic log-det = log|det J| of a
/// finite-difference Jacobian, finite values, log-det of shape [N] on the input's dtype and device.
/// All in float64 so the finite differences are accurate.
/// </summary>
internal static class BlockHarness
{
    /// <summary>Puts the block in a generic state: runs the data-dependent init, then perturbs every parameter.</summary>
    public static void Randomize(nn.Module block, Tensor x, Tensor? condition, double scale = 0.1)
    {
        block.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        switch (block)
        {
            case InvertibleBlock invertible:
                invertible.Forward(x, condition); // runs the data-dependent initialisation
                break;
            case Glow.GlowModel glow:
                glow.Evaluate(x);
                break;
        }

        using var noGrad = no_grad();
        foreach (var parameter in block.parameters())
        {
            parameter.add_(randn_like(parameter), scale);
        }
    }

    public static void Check(InvertibleBlock block, Tensor x, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        Randomize(block, x, condition);
        var (y, forwardLogDet) = block.Forward(x, condition);
        var (back, inverseLogDet) = block.Inverse(y, condition);

        Assert.Equal(new[] { x.size(0) }, forwardLogDet.shape);
        Assert.Equal(x.dtype, forwardLogDet.dtype);
        Assert.Equal(x.device.ToString(), forwardLogDet.device.ToString());
        Assert.Equal([x.size(0), .. block.OutputShape], (IEnumerable<long>)y.shape);
        Assert.True(y.isfinite().all().item<bool>(), "forward output has non-finite values");
        Assert.True(forwardLogDet.isfinite().all().item<bool>(), "log-det has non-finite values");
        AssertClose(x, back, 1e-9, "round trip x → f → f⁻¹");
        AssertClose(-forwardLogDet, inverseLogDet, 1e-9, "log-det(f⁻¹) = −log-det(f)");

        for (var sample = 0; sample < x.size(0); sample++)
        {
            var numerical = NumericalLogAbsDet(block, x.narrow(0, sample, 1), condition?.narrow(0, sample, 1));
            var analytic = forwardLogDet[sample].item<double>();
            Assert.True(Math.Abs(numerical - analytic) < 1e-5, $"sample {sample}: analytic log-det {analytic:R} vs numerical {numerical:R}");
        }
    }

    /// <summary>log|det J| of f at x (one sample) by central differences, all 2D perturbations in one batch.</summary>
    public static double NumericalLogAbsDet(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = NewDisposeScope();
        const double Step = 1e-6;
        var dims = x.numel();
        var flat = x.reshape(1, dims);
        var perturbation = eye(dims, dtype: ScalarType.Float64) * Step;
        long[] batchShape = [dims, .. x.shape[1..]];
        var plus = (flat + perturbation).reshape(batchShape);
        var minus = (flat - perturbation).reshape(batchShape);
        var jacobianT = (f(plus).reshape(dims, -1) - f(minus).reshape(dims, -1)) / (2 * Step); // row i = ∂y/∂x_i
        Assert.Equal(dims, jacobianT.size(1));
        return linalg.slogdet(jacobianT).Item2.item<double>();
    }

    private static double NumericalLogAbsDet(InvertibleBlock block, Tensor x, Tensor? condition) =>
        NumericalLogAbsDet(batch => block.Forward(batch, condition?.expand([batch.size(0), .. condition.shape[1..]])).Output, x);

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        using var scope = NewDisposeScope();
        var difference = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"{what}: max |Δ| = {difference:G3} > {tolerance:G3}");
    }
}
