using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Reductions. An empty <c>dims</c> list reduces over every dimension.</summary>
public sealed partial class Tensor
{
    /// <summary>Sum over <paramref name="dims"/> (all when empty).</summary>
    public Tensor Sum(long[]? dims = null, bool keepDim = false) =>
        new(Native.mlnf_ops_sum(Handle, dims ?? [], dims?.Length ?? 0, keepDim ? 1 : 0));

    /// <summary>Mean over <paramref name="dims"/> (all when empty).</summary>
    public Tensor Mean(long[]? dims = null, bool keepDim = false) =>
        new(Native.mlnf_ops_mean(Handle, dims ?? [], dims?.Length ?? 0, keepDim ? 1 : 0));

    /// <summary>Variance over <paramref name="dims"/> (unbiased by default, as in PyTorch).</summary>
    public Tensor Var(long[]? dims = null, bool unbiased = true, bool keepDim = false) =>
        new(Native.mlnf_ops_var(Handle, dims ?? [], dims?.Length ?? 0, unbiased ? 1 : 0, keepDim ? 1 : 0));

    /// <summary>Standard deviation over <paramref name="dims"/> (unbiased by default).</summary>
    public Tensor Std(long[]? dims = null, bool unbiased = true, bool keepDim = false) =>
        new(Native.mlnf_ops_std(Handle, dims ?? [], dims?.Length ?? 0, unbiased ? 1 : 0, keepDim ? 1 : 0));

    /// <summary>log Σ exp over <paramref name="dims"/>, computed stably.</summary>
    public Tensor LogSumExp(long[]? dims = null, bool keepDim = false) =>
        new(Native.mlnf_ops_logsumexp(Handle, dims ?? [], dims?.Length ?? 0, keepDim ? 1 : 0));

    /// <summary>Maximum value over <paramref name="dims"/>.</summary>
    public Tensor Max(long[]? dims = null, bool keepDim = false) =>
        new(Native.mlnf_ops_amax(Handle, dims ?? [], dims?.Length ?? 0, keepDim ? 1 : 0));

    /// <summary>Minimum value over <paramref name="dims"/>.</summary>
    public Tensor Min(long[]? dims = null, bool keepDim = false) =>
        new(Native.mlnf_ops_amin(Handle, dims ?? [], dims?.Length ?? 0, keepDim ? 1 : 0));

    /// <summary>Maximum values along one dimension and their indices (Int64).</summary>
    public (Tensor Values, Tensor Indices) MaxAlong(long dim, bool keepDim = false)
    {
        NativeError.Check(Native.mlnf_ops_max_dim(Handle, dim, keepDim ? 1 : 0, out var values, out var indices));
        var result = new Tensor(values);
        return (result, new Tensor(indices));
    }

    /// <summary>Index of the maximum along one dimension (Int64).</summary>
    public Tensor ArgMax(long dim, bool keepDim = false) => new(Native.mlnf_ops_argmax(Handle, dim, keepDim ? 1 : 0));

    /// <summary>Whether every element is true (non-zero), as a Bool scalar tensor.</summary>
    public Tensor All() => new(Native.mlnf_ops_all(Handle));

    /// <summary>Whether any element is true (non-zero), as a Bool scalar tensor.</summary>
    public Tensor Any() => new(Native.mlnf_ops_any(Handle));

    /// <summary>Matrix product with broadcasting over batch dimensions.</summary>
    public Tensor MatMul(Tensor other) => new(Native.mlnf_ops_matmul(Handle, other.Handle));
}
