using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Moving data between managed memory and tensors, and between devices and dtypes.</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Creates a tensor holding a copy of <paramref name="data"/> (one copy, straight from the span into the
    /// tensor's storage) with the given shape, on <paramref name="device"/> (default CPU).
    /// </summary>
    public static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        var dims = shape.ToArray();
        var dtype = DTypeExtensions.Of<T>();
        var target = device ?? Device.Cpu;
        fixed (T* pointer = data)
        {
            return new Tensor(Native.mlnf_tensor_from_data(pointer, (long)data.Length * sizeof(T), dims, dims.Length, (int)dtype, (int)target.Type, target.Index));
        }
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray<T>(T[] data, params long[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, shape.Length == 0 ? [data.LongLength] : shape);
    }

    /// <summary>Creates a 0-dimensional tensor holding one value.</summary>
    public static Tensor Scalar(float value, Device? device = null) => FromSpan<float>([value], ReadOnlySpan<long>.Empty, device);

    /// <summary>Copies the elements (row-major, moved to the CPU) into <paramref name="destination"/>.</summary>
    public unsafe void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        CheckElementType<T>();
        if (destination.Length != NumberOfElements)
        {
            throw new ArgumentException($"destination holds {destination.Length} elements but the tensor has {NumberOfElements}", nameof(destination));
        }

        fixed (T* pointer = destination)
        {
            NativeError.Check(Native.mlnf_tensor_copy_to(Handle, pointer, (long)destination.Length * sizeof(T)));
        }
    }

    /// <summary>Returns the elements as a new managed array (row-major).</summary>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        CheckElementType<T>();
        var result = new T[checked((int)NumberOfElements)];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        NativeError.Check(Native.mlnf_tensor_item(Handle, out var value));
        return value;
    }

    /// <summary>The value of a one-element tensor as a float.</summary>
    public float ItemSingle() => (float)Item();

    /// <summary>Converts to another dtype and/or device; returns an alias when nothing changes.</summary>
    public Tensor To(DType dtype, Device device) =>
        new(Native.mlnf_tensor_to(Handle, (int)dtype, (int)device.Type, device.Index));

    /// <summary>Converts to another dtype on the same device.</summary>
    public Tensor To(DType dtype) => To(dtype, Device);

    /// <summary>Moves to another device keeping the dtype.</summary>
    public Tensor To(Device device) => To(DType, device);

    /// <summary>A copy with its own storage.</summary>
    public Tensor Clone() => new(Native.mlnf_tensor_clone(Handle));

    /// <summary>A tensor sharing this one's storage, cut from the autograd graph.</summary>
    public Tensor Detach() => new(Native.mlnf_tensor_detach(Handle));

    /// <summary>
    /// A version dense in <paramref name="format"/> (row-major by default; channels-last stores a 4-D NCHW tensor in NHWC
    /// order, the layout oneDNN convolves fastest on the CPU); an alias when the tensor already has that layout.
    /// </summary>
    public Tensor Contiguous(MemoryFormat format = MemoryFormat.Contiguous) => new(Native.mlnf_tensor_contiguous(Handle, (int)format));

    /// <summary>Whether the tensor is dense in <paramref name="format"/>.</summary>
    public bool IsContiguous(MemoryFormat format = MemoryFormat.Contiguous) => NativeError.Check(Native.mlnf_tensor_is_contiguous(Handle, (int)format)) != 0;

    /// <summary>A second handle to the same tensor (same storage, same autograd identity), disposed independently.</summary>
    public Tensor Alias() => new(Native.mlnf_tensor_alias(Handle));

    /// <summary>Creates a tensor from raw little-endian bytes of the given dtype (used by file formats).</summary>
    internal static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, ReadOnlySpan<long> shape, DType dtype)
    {
        var dims = shape.ToArray();
        fixed (byte* pointer = bytes)
        {
            return new Tensor(Native.mlnf_tensor_from_data(pointer, bytes.Length, dims, dims.Length, (int)dtype, (int)DeviceType.Cpu, -1));
        }
    }

    /// <summary>Copies the raw bytes of the elements (CPU, row-major) into <paramref name="destination"/>.</summary>
    internal unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* pointer = destination)
        {
            NativeError.Check(Native.mlnf_tensor_copy_to(Handle, pointer, destination.Length));
        }
    }

    private void CheckElementType<T>()
        where T : unmanaged
    {
        var expected = DTypeExtensions.Of<T>();
        var actual = DType;
        if (expected != actual)
        {
            throw new InvalidOperationException($"the tensor holds {actual} elements, not {typeof(T).Name} ({expected}); convert it first with To(DType.{expected})");
        }
    }
}
