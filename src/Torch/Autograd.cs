using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>
/// Thread-local autograd modes as <c>using</c> blocks: <c>using (Autograd.NoGrad()) { ... }</c>. Each mode ends when the
/// returned scope is disposed, on the thread that entered it.
/// </summary>
public static class Autograd
{
    /// <summary>Whether operations on this thread are recorded for backward.</summary>
    public static bool IsGradEnabled => Native.mlnf_torch_is_grad_enabled() != 0;

    /// <summary>Stops recording operations until disposed (PyTorch's <c>torch.no_grad()</c>).</summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Records operations until disposed, even inside <see cref="NoGrad"/>.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>
    /// Inference mode until disposed (PyTorch's <c>torch.inference_mode()</c>): no recording and no version counting,
    /// faster than <see cref="NoGrad"/>. Tensors created inside cannot later be used in autograd.
    /// </summary>
    public static InferenceModeScope InferenceMode() => new(NativeError.CheckHandle(Native.mlnf_torch_inference_mode_enter()));
}

/// <summary>Restores the previous grad mode when disposed.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled) => _previous = NativeError.Check(Native.mlnf_torch_set_grad_enabled(enabled ? 1 : 0)) != 0;

    /// <summary>Restores the grad mode that was active before this scope.</summary>
    public void Dispose() => NativeError.Check(Native.mlnf_torch_set_grad_enabled(_previous ? 1 : 0));
}

/// <summary>Leaves inference mode when disposed.</summary>
public sealed class InferenceModeScope : IDisposable
{
    private IntPtr _guard;

    internal InferenceModeScope(IntPtr guard) => _guard = guard;

    /// <summary>Leaves inference mode (on the thread that entered it).</summary>
    public void Dispose()
    {
        var guard = Interlocked.Exchange(ref _guard, IntPtr.Zero);
        if (guard != IntPtr.Zero)
        {
            NativeError.Check(Native.mlnf_torch_guard_free(guard));
        }
    }
}
