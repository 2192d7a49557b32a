using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.NN;

/// <summary>Gradient clipping (torch.nn.utils).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so their joint L2 norm is at most
    /// <paramref name="maxNorm"/>; returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        using var handles = new HandleArray(parameters);
        NativeError.Check(Native.mlnf_nn_clip_grad_norm_(handles.Pointers, handles.Count, maxNorm, out var total));
        return total;
    }
}
