using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

namespace MLNetFlows.Torch.Tests;

/// <summary>Failures inside libtorch surface as managed exceptions with libtorch's message; the process goes on.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void ShapeMismatchThrowsTorchExceptionWithLibtorchMessage()
    {
        using var leaks = new LeakCheck();
        using var a = Tensor.Zeros([2, 3]);
        using var b = Tensor.Zeros([4, 5]);

        var error = Assert.Throws<TorchException>(() => a.MatMul(b));

        Assert.Contains("cannot be multiplied (2x3 and 4x5)", error.Message);
        Assert.DoesNotContain("Exception raised from", error.Message); // no C++ backtrace
        using var ok = a + 1;
        using var sum = ok.Sum();
        Assert.Equal(6, sum.Item());
    }

    [Fact]
    public void BroadcastMismatchNamesTheSizes()
    {
        using var leaks = new LeakCheck();
        using var a = Tensor.Zeros([3]);
        using var b = Tensor.Zeros([4]);

        var error = Assert.Throws<TorchException>(() => a + b);

        Assert.Contains("The size of tensor a (3) must match the size of tensor b (4)", error.Message);
    }

    [Fact]
    public void ConvolutionWithWrongChannelCountThrows()
    {
        using var leaks = new LeakCheck();
        using var x = Tensor.Zeros([1, 3, 8, 8]);
        using var w = Tensor.Zeros([4, 2, 3, 3]);

        var error = Assert.Throws<TorchException>(() => Functional.Conv2d(x, w));

        Assert.Contains("expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels", error.Message);
    }

    [Fact]
    public void CudaDeviceOnCpuBuildThrowsInsteadOfCrashing()
    {
        using var leaks = new LeakCheck();
        Assert.False(Cuda.IsAvailable);
        Assert.Equal(0, Cuda.DeviceCount);

        var error = Assert.Throws<TorchException>(() => Tensor.Zeros([2], device: Device.Cuda()));

        Assert.Contains("CUDA", error.Message);
        using var t = Tensor.Zeros([2]);
        Assert.Equal(Device.Cpu, t.Device);
    }

    [Fact]
    public void DisposedTensorThrowsObjectDisposedException()
    {
        var t = Tensor.Ones([2]);
        t.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => t.Exp());

        Assert.Contains("The tensor was disposed", error.Message);
        Assert.True(t.IsDisposed);
        t.Dispose(); // idempotent
    }

    [Fact]
    public void ErrorMessageIsTakenOnceAndDoesNotLeakIntoLaterCalls()
    {
        using var a = Tensor.Zeros([2, 2]);
        Assert.Throws<TorchException>(() => a.View(3));
        using var b = a.View(4);
        var second = Assert.Throws<TorchException>(() => a.Reshape(5));

        Assert.Contains("shape '[5]' is invalid for input of size 4", second.Message);
    }

    [Fact]
    public void WrongManagedElementTypeIsRefusedBeforeCopying()
    {
        using var t = Tensor.Zeros([3]);

        var error = Assert.Throws<InvalidOperationException>(() => t.ToArray<double>());

        Assert.Equal("the tensor holds Float32 elements, not Double (Float64); convert it first with To(DType.Float64)", error.Message);
    }

    [Fact]
    public void DataLengthMismatchIsReported()
    {
        var error = Assert.Throws<TorchException>(() => Tensor.FromSpan<float>(new float[5], [2, 3]));

        Assert.Equal("data holds 20 bytes but shape [2, 3] of Float needs 24", error.Message);
    }

    [Fact]
    public void ErrorsOnOtherThreadsStayOnTheirThread()
    {
        var messages = new string[4];
        Parallel.For(0, messages.Length, i =>
        {
            using var a = Tensor.Zeros([i + 1]);
            messages[i] = Assert.Throws<TorchException>(() => a.View(i + 7)).Message;
        });

        for (var i = 0; i < messages.Length; i++)
        {
            Assert.Contains($"shape '[{i + 7}]' is invalid for input of size {i + 1}", messages[i]);
        }
    }
}
