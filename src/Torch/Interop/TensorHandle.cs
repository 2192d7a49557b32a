using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

/// <summary>Owns one native tensor handle (an <c>mlnf_tensor</c>); releasing it frees the native tensor.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>A never-closed handle holding NULL, passed for absent optional tensor arguments.</summary>
    public static readonly TensorHandle Null = new();

    private TensorHandle()
        : base(IntPtr.Zero, ownsHandle: false)
    {
    }

    /// <summary>Takes ownership of a handle returned by the native library; a NULL handle reports its failure.</summary>
    public TensorHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(NativeError.CheckHandle(handle));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Native.mlnf_tensor_free(handle) == Native.Ok;
}
