using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>
/// An n-dimensional array in libtorch, owned by a <see cref="System.Runtime.InteropServices.SafeHandle"/>.
/// Dispose tensors you create (or create them inside a <see cref="DisposeScope"/>): native memory is freed
/// deterministically on dispose and only as a last resort by the finalizer. Operations return new tensors;
/// methods ending in an underscore (<c>Fill_</c>, <c>Add_</c>, ...) update the tensor in place, as in PyTorch.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle _handle;
    private long[]? _shape;

    internal Tensor(IntPtr handle)
    {
        _handle = new TensorHandle(handle);
        DisposeScope.Track(this);
    }

    /// <summary>Number of native tensors alive in the process (created and not yet disposed or finalized).</summary>
    public static long LiveCount => Native.mlnf_torch_live_tensor_count();

    /// <summary>The scope that disposes this tensor, if it was created inside one and not moved out.</summary>
    internal DisposeScope? Scope { get; set; }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _handle.IsClosed;

    internal TensorHandle Handle => _handle.IsClosed
        ? throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed (by Dispose or by the DisposeScope it was created in); keep it with DisposeScope.MoveToOuter or Tensor.DetachFromScope to use it later.")
        : _handle;

    /// <summary>The sizes of the dimensions.</summary>
    public ReadOnlySpan<long> Shape => _shape ??= ReadShape();

    /// <summary>Number of dimensions.</summary>
    public int Dim => Shape.Length;

    /// <summary>Number of elements.</summary>
    public long NumberOfElements
    {
        get
        {
            long count = 1;
            foreach (var size in Shape)
            {
                count *= size;
            }

            return count;
        }
    }

    /// <summary>The element type.</summary>
    public DType DType => (DType)NativeError.Check(Native.mlnf_tensor_dtype(Handle));

    /// <summary>The device the data lives on.</summary>
    public Device Device
    {
        get
        {
            NativeError.Check(Native.mlnf_tensor_device(Handle, out var type, out var index));
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>Size of one dimension; negative indices count from the end.</summary>
    public long Size(int dim) => Shape[NormalizeDim(dim)];

    /// <summary>Frees the native tensor now. Further use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Scope = null;
        _handle.Dispose();
    }

    /// <summary>Removes the tensor from the dispose scope it was created in; the caller now owns it.</summary>
    public Tensor DetachFromScope()
    {
        Scope = null;
        return this;
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor([{string.Join(", ", Shape.ToArray())}], {DType}, {Device})";

    internal int NormalizeDim(int dim)
    {
        var rank = Shape.Length;
        var normalized = dim < 0 ? dim + rank : dim;
        if (normalized < 0 || normalized >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dimension out of range: expected one in [{-rank}, {rank - 1}], got {dim}");
        }

        return normalized;
    }

    private long[] ReadShape()
    {
        var handle = Handle;
        var rank = NativeError.Check(Native.mlnf_tensor_ndim(handle));
        var sizes = new long[rank];
        NativeError.Check(Native.mlnf_tensor_shape(handle, sizes, rank));
        return sizes;
    }
}
