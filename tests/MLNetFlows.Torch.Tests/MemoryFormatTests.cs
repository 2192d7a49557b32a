namespace MLNetFlows.Torch.Tests;

public sealed class MemoryFormatTests
{
    [Fact]
    public void ChannelsLastKeepsShapeAndValuesAndChangesTheLayout()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        var x = Tensor.Arange(0, 2 * 3 * 4 * 5).Reshape(2, 3, 4, 5);

        var channelsLast = x.Contiguous(MemoryFormat.ChannelsLast);

        Assert.True(x.IsContiguous());
        Assert.False(x.IsContiguous(MemoryFormat.ChannelsLast));
        Assert.True(channelsLast.IsContiguous(MemoryFormat.ChannelsLast));
        Assert.False(channelsLast.IsContiguous());
        Assert.Equal(x.Shape.ToArray(), channelsLast.Shape.ToArray());
        Assert.Equal(x.ToArray<float>(), channelsLast.ToArray<float>()); // ToArray reads in logical (row-major) order
        Assert.True(channelsLast.Contiguous().IsContiguous());
    }

    [Fact]
    public void AnUnknownFormatCodeIsAnError()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Zeros([1, 1, 2, 2]);

        var error = Assert.Throws<TorchException>(() => x.Contiguous((MemoryFormat)7));

        Assert.Equal("unknown memory format code 7 (0 contiguous, 1 channels-last)", error.Message);
    }
}
