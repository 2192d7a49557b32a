using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Shape operations. Views share storage with this tensor, as in PyTorch.</summary>
public sealed partial class Tensor
{
    /// <summary>Same data with a new shape (a view when possible); one size may be -1.</summary>
    public Tensor Reshape(params long[] shape) => new(Native.mlnf_ops_reshape(Handle, shape, shape.Length));

    /// <summary>A view with a new shape; fails if the memory layout does not allow it.</summary>
    public Tensor View(params long[] shape) => new(Native.mlnf_ops_view(Handle, shape, shape.Length));

    /// <summary>Reorders the dimensions.</summary>
    public Tensor Permute(params long[] dims) => new(Native.mlnf_ops_permute(Handle, dims, dims.Length));

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => new(Native.mlnf_ops_transpose(Handle, dim0, dim1));

    /// <summary>Flattens dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => new(Native.mlnf_ops_flatten(Handle, startDim, endDim));

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1.</summary>
    public Tensor Squeeze(long dim) => new(Native.mlnf_ops_squeeze(Handle, dim));

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(long dim) => new(Native.mlnf_ops_unsqueeze(Handle, dim));

    /// <summary>Broadcasts size-1 dimensions to <paramref name="shape"/> without copying (-1 keeps a size).</summary>
    public Tensor Expand(params long[] shape) => new(Native.mlnf_ops_expand(Handle, shape, shape.Length));

    /// <summary>Tiles the tensor along each dimension.</summary>
    public Tensor Repeat(params long[] repeats) => new(Native.mlnf_ops_repeat(Handle, repeats, repeats.Length));

    /// <summary>The slice [start, start + length) of dimension <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(long dim, long start, long length) => new(Native.mlnf_ops_narrow(Handle, dim, start, length));

    /// <summary>The slice at <paramref name="index"/> of dimension <paramref name="dim"/>, which is removed (a view).</summary>
    public Tensor Select(long dim, long index) => new(Native.mlnf_ops_select(Handle, dim, index));

    /// <summary>Reverses the order of elements along the given dimensions.</summary>
    public Tensor Flip(params long[] dims) => new(Native.mlnf_ops_flip(Handle, dims, dims.Length));

    /// <summary>Picks the entries of dimension <paramref name="dim"/> listed in <paramref name="index"/> (Int64).</summary>
    public Tensor IndexSelect(long dim, Tensor index) => new(Native.mlnf_ops_index_select(Handle, dim, index.Handle));

    /// <summary>
    /// Pads with <paramref name="pads"/> given as in torch.nn.functional.pad: (left, right) of the last dimension first,
    /// then (top, bottom) of the one before, and so on.
    /// </summary>
    public Tensor Pad(long[] pads, PaddingMode mode = PaddingMode.Constant, double value = 0) =>
        new(Native.mlnf_ops_pad(Handle, pads, pads.Length, (int)mode, value));

    /// <summary>Splits into <paramref name="chunks"/> nearly equal views along <paramref name="dim"/>.</summary>
    public Tensor[] Chunk(long chunks, long dim = 0)
    {
        if (chunks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "expected at least 1 chunk");
        }

        var handles = new IntPtr[chunks];
        var count = NativeError.Check(Native.mlnf_ops_chunk(Handle, chunks, dim, handles, handles.Length));
        var result = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new Tensor(handles[i]);
        }

        return result;
    }

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var handles = new HandleArray(tensors);
        return new Tensor(Native.mlnf_ops_cat(handles.Pointers, handles.Count, dim));
    }

    /// <summary>Joins tensors along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var handles = new HandleArray(tensors);
        return new Tensor(Native.mlnf_ops_stack(handles.Pointers, handles.Count, dim));
    }
}

/// <summary>How <see cref="Tensor.Pad"/> fills the border.</summary>
public enum PaddingMode
{
    /// <summary>A constant value.</summary>
    Constant = 0,

    /// <summary>Mirror without repeating the edge.</summary>
    Reflect = 1,

    /// <summary>Repeat the edge value.</summary>
    Replicate = 2,
}
