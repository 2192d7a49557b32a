using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Creating tensors: constants, random draws (from the seeded global generator) and ranges.</summary>
public sealed partial class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0.0, dtype, device);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1.0, dtype, device);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var dims = shape.ToArray();
        return new Tensor(Native.mlnf_tensor_full(dims, dims.Length, value, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Standard normal draws.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var dims = shape.ToArray();
        return new Tensor(Native.mlnf_tensor_randn(dims, dims.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uniform draws from [0, 1).</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var dims = shape.ToArray();
        return new Tensor(Native.mlnf_tensor_rand(dims, dims.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uniform integer draws from [<paramref name="low"/>, <paramref name="high"/>) as Int64.</summary>
    public static Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var dims = shape.ToArray();
        return new Tensor(Native.mlnf_tensor_randint(low, high, dims, dims.Length, (int)d.Type, d.Index));
    }

    /// <summary>A random permutation of 0..n-1 as Int64.</summary>
    public static Tensor RandPerm(long n, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Tensor(Native.mlnf_tensor_randperm(n, (int)d.Type, d.Index));
    }

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="end"/> by <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Tensor(Native.mlnf_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>The identity matrix of <paramref name="n"/> rows and <paramref name="m"/> (default n) columns.</summary>
    public static Tensor Eye(long n, long? m = null, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Tensor(Native.mlnf_tensor_eye(n, m ?? n, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Zeros with this tensor's shape, dtype and device.</summary>
    public Tensor ZerosLike() => Zeros(Shape, DType, Device);

    /// <summary>Ones with this tensor's shape, dtype and device.</summary>
    public Tensor OnesLike() => Ones(Shape, DType, Device);

    /// <summary>Standard normal draws with this tensor's shape, dtype and device.</summary>
    public Tensor RandnLike() => Randn(Shape, DType, Device);

    /// <summary>Uniform [0, 1) draws with this tensor's shape, dtype and device.</summary>
    public Tensor RandLike() => Rand(Shape, DType, Device);
}
