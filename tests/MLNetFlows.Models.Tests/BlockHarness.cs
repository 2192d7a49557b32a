using MLNetFlows.Models.Flows;
using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

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
    public static void Randomize(Module block, Tensor x, Tensor? condition, double scale = 0.1)
    {
        block.To(DType.Float64);
        using var scope = DisposeScope.Enter();
        switch (block)
        {
            case InvertibleBlock invertible:
                invertible.Forward(x, condition); // runs the data-dependent initialisation
                break;
            case Glow.GlowModel glow:
                glow.Evaluate(x);
                break;
        }

        using var noGrad = Autograd.NoGrad();
        foreach (var parameter in block.Parameters())
        {
            parameter.Add_(parameter.RandnLike(), scale);
        }
    }

    public static void Check(InvertibleBlock block, Tensor x, Tensor? condition)
    {
        using var scope = DisposeScope.Enter();
        Randomize(block, x, condition);
        var (y, forwardLogDet) = block.Forward(x, condition);
        var (back, inverseLogDet) = block.Inverse(y, condition);

        Assert.Equal(new[] { x.Size(0) }, forwardLogDet.Shape.ToArray());
        Assert.Equal(x.DType, forwardLogDet.DType);
        Assert.Equal(x.Device, forwardLogDet.Device);
        Assert.Equal(new[] { x.Size(0) }.Concat(block.OutputShape).ToArray(), y.Shape.ToArray());
        Assert.True(y.IsFinite().All().ToArray<bool>()[0], "forward output has non-finite values");
        Assert.True(forwardLogDet.IsFinite().All().ToArray<bool>()[0], "log-det has non-finite values");
        AssertClose(x, back, 1e-9, "round trip x → f → f⁻¹");
        AssertClose((-forwardLogDet), inverseLogDet, 1e-9, "log-det(f⁻¹) = −log-det(f)");

        for (var sample = 0; sample < x.Size(0); sample++)
        {
            var numerical = NumericalLogAbsDet(block, x.Narrow(0, sample, 1), condition?.Narrow(0, sample, 1));
            Assert.True(Math.Abs(numerical - forwardLogDet.Select(0, sample).Item()) < 1e-5,
                $"sample {sample}: analytic log-det {forwardLogDet.Select(0, sample).Item():R} vs numerical {numerical:R}");
        }
    }

    /// <summary>log|det J| of f at x (one sample) by central differences, all 2D perturbations in one batch.</summary>
    public static double NumericalLogAbsDet(Func<Tensor, Tensor> f, Tensor x)
    {
        using var scope = DisposeScope.Enter();
        const double Step = 1e-6;
        var dims = x.NumberOfElements;
        var flat = x.Reshape(1, dims);
        var eye = Tensor.Eye(dims, dtype: DType.Float64) * Step;
        var plus = (flat + eye).Reshape([dims, .. x.Shape[1..].ToArray()]);
        var minus = (flat - eye).Reshape([dims, .. x.Shape[1..].ToArray()]);
        var jacobianT = (f(plus).Reshape(dims, -1) - f(minus).Reshape(dims, -1)) / (2 * Step); // row i = ∂y/∂x_i
        Assert.Equal(dims, jacobianT.Size(1));
        return Linalg.SlogDet(jacobianT).LogAbsDet.Item();
    }

    private static double NumericalLogAbsDet(InvertibleBlock block, Tensor x, Tensor? condition) =>
        NumericalLogAbsDet(batch => block.Forward(batch, condition?.Expand([batch.Size(0), .. condition.Shape[1..].ToArray()])).Output, x);

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        var difference = (expected - actual).Abs().Max().Item();
        Assert.True(difference <= tolerance, $"{what}: max |Δ| = {difference:G3} > {tolerance:G3}");
    }
}
