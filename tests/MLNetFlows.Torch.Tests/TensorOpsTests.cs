using MLNetFlows.Torch;

namespace MLNetFlows.Torch.Tests;

/// <summary>Creation, data transfer and shape ops against values worked out by hand.</summary>
public sealed class TensorOpsTests
{
    private static Tensor Range(params long[] shape)
    {
        long count = 1;
        foreach (var s in shape)
        {
            count *= s;
        }

        using var flat = Tensor.Arange(0, count);
        return flat.Reshape(shape);
    }

    [Fact]
    public void CreationHonoursShapeDTypeAndDevice()
    {
        using var leaks = new LeakCheck();
        using var zeros = Tensor.Zeros([2, 3], DType.Float64);
        using var full = Tensor.Full([2], 7, DType.Int64);
        using var eye = Tensor.Eye(3);
        using var arange = Tensor.Arange(0, 1, 0.25);

        Assert.Equal(new long[] { 2, 3 }, zeros.Shape.ToArray());
        Assert.Equal(DType.Float64, zeros.DType);
        Assert.Equal(Device.Cpu, zeros.Device);
        Assert.Equal(new long[] { 7, 7 }, full.ToArray<long>());
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, eye.ToArray<float>());
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f }, arange.ToArray<float>());
    }

    [Fact]
    public void ShapeOpsMoveElementsAsPyTorchDoes()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        var x = Range(2, 3);

        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, x.Transpose(0, 1).Contiguous().ToArray<float>());
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, x.Permute(1, 0).ToArray<float>());
        Assert.Equal(new float[] { 2, 1, 0, 5, 4, 3 }, x.Flip(1).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 4, 5 }, x.Narrow(1, 1, 2).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 5 }, x.Select(0, 1).ToArray<float>());
        Assert.Equal(new long[] { 2, 1, 3 }, x.Unsqueeze(1).Shape.ToArray());
        Assert.Equal(new long[] { 6 }, x.Flatten().Shape.ToArray());
        Assert.Equal(new float[] { 0, 1, 2, 0, 1, 2 }, x.Select(0, 0).Unsqueeze(0).Expand(2, 3).ToArray<float>());
        Assert.Equal(new float[] { 2, 0 }, x.Select(0, 0).IndexSelect(0, Tensor.FromArray(new long[] { 2, 0 })).ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 }, Tensor.Cat([x, x]).ToArray<float>());
        Assert.Equal(new long[] { 2, 2, 3 }, Tensor.Stack([x, x]).Shape.ToArray());
        var chunks = x.Chunk(3, 1);
        Assert.Equal(3, chunks.Length);
        Assert.Equal(new float[] { 1, 4 }, chunks[1].ToArray<float>());
        Assert.Equal(new float[] { 9, 0, 1, 2, 9, 9, 3, 4, 5, 9 }, x.Pad([1, 1], value: 9).ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 1, 2, 2, 3, 3, 4, 5, 5 }, x.Pad([1, 1], PaddingMode.Replicate).ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }, x.Repeat(1, 2).ToArray<float>());
    }

    [Fact]
    public void PointwiseAndComparisonOpsBroadcast()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        var x = Tensor.FromArray(new float[] { -2, 0, 3 });
        var row = Tensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        var col = Tensor.FromArray(new float[] { 10, 20 }, 2, 1);

        Assert.Equal(new float[] { 11, 12, 13, 21, 22, 23 }, (row + col).ToArray<float>());
        Assert.Equal(new float[] { 3, 1, -2 }, (1 - x).ToArray<float>());
        Assert.Equal(new float[] { -0.5f, float.PositiveInfinity, 1f / 3 }, (1 / x).ToArray<float>());
        Assert.Equal(new float[] { -1, 0, 2 }, x.Clamp(-1, 2).ToArray<float>());
        Assert.Equal(new[] { false, false, true }, x.Gt(0).ToArray<bool>());
        Assert.Equal(new float[] { 1, 0, 3 }, Tensor.Where(x.Lt(0), x.OnesLike(), x).ToArray<float>());
        Assert.Equal(new float[] { -0.4f, 0, 3 }, x.LeakyRelu(0.2).ToArray<float>());
        Assert.Equal(new[] { true, false, false }, Tensor.FromArray(new[] { 1, float.NaN, float.PositiveInfinity }).IsFinite().ToArray<bool>());
        Assert.Equal(new float[] { 4, 0, 9 }, x.Square().ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 3 }, x.Maximum(x.ZerosLike()).ToArray<float>());
    }

    [Fact]
    public void ReductionsAndMatMul()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        var x = Range(2, 3);

        Assert.Equal(15, x.Sum().Item());
        Assert.Equal(new float[] { 3, 12 }, x.Sum([1]).ToArray<float>());
        Assert.Equal(new float[] { 1, 4 }, x.Mean([1]).ToArray<float>());
        Assert.Equal(new long[] { 2, 1 }, x.Mean([1], keepDim: true).Shape.ToArray());
        Assert.Equal(5, x.Max().Item());
        Assert.Equal(new long[] { 2, 2 }, x.ArgMax(1).ToArray<long>());
        var (values, indices) = x.MaxAlong(0);
        Assert.Equal(new float[] { 3, 4, 5 }, values.ToArray<float>());
        Assert.Equal(new long[] { 1, 1, 1 }, indices.ToArray<long>());
        Assert.Equal(new float[] { 5, 14, 14, 50 }, x.MatMul(x.Transpose(0, 1)).ToArray<float>());
        Assert.True(x.Ge(0).All().ToArray<bool>()[0]);
        Assert.False(x.Gt(5).Any().ToArray<bool>()[0]);
    }

    [Fact]
    public void ConversionsBetweenDTypes()
    {
        using var leaks = new LeakCheck();
        using var bytes = Tensor.FromArray(new byte[] { 0, 128, 255 });
        using var floats = bytes.To(DType.Float32);
        using var scaled = floats / 255;
        using var back = scaled.To(DType.Float64);

        Assert.Equal(new float[] { 0, 128, 255 }, floats.ToArray<float>());
        Assert.Equal(1.0, back.ToArray<double>()[2], 6);
    }

    [Fact]
    public void FromSpanCopiesStraightIntoTheTensor()
    {
        using var leaks = new LeakCheck();
        var data = new float[] { 1, 2, 3, 4 };
        using var t = Tensor.FromSpan<float>(data.AsSpan(1, 2), [2]);
        data[1] = 100; // the tensor owns a copy

        Assert.Equal(new float[] { 2, 3 }, t.ToArray<float>());
    }
}
