using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

/// <summary>Owns one native optimizer (an <c>mlnf_optimizer</c>).</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    public OptimizerHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(NativeError.CheckHandle(handle));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Native.mlnf_optim_free(handle) == Native.Ok;
}
