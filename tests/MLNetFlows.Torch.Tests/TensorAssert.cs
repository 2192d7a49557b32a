namespace MLNetFlows.Torch.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and |actual − expected| ≤ atol + rtol·|expected| element-wise (numpy's allclose).</summary>
    public static void Close(Tensor expected, Tensor actual, double atol = 1e-5, double rtol = 1e-4)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        using var e = expected.To(DType.Float64);
        using var a = actual.To(DType.Float64);
        var want = e.ToArray<double>();
        var got = a.ToArray<double>();
        for (var i = 0; i < want.Length; i++)
        {
            var tolerance = atol + (rtol * Math.Abs(want[i]));
            Assert.True(Math.Abs(got[i] - want[i]) <= tolerance, $"element {i}: expected {want[i]:R}, got {got[i]:R} (tolerance {tolerance:G3})");
        }
    }
}
