using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Autograd on a tensor, and in-place updates used by optimizers and initialisers.</summary>
public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor; settable on leaves.</summary>
    public bool RequiresGrad
    {
        get => NativeError.Check(Native.mlnf_tensor_requires_grad(Handle)) != 0;
        set => NativeError.Check(Native.mlnf_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (PyTorch's <c>requires_grad_</c>).</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// The accumulated gradient as a new handle (dispose it), or null before the first backward pass.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            NativeError.Check(Native.mlnf_tensor_grad(Handle, out var grad));
            return grad == IntPtr.Zero ? null : new Tensor(grad);
        }
    }

    /// <summary>Drops the accumulated gradient, so the next backward pass allocates a fresh one (PyTorch's <c>t.grad = None</c>).</summary>
    public void ResetGrad() => NativeError.Check(Native.mlnf_tensor_reset_grad(Handle));

    /// <summary>Back-propagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        NativeError.Check(Native.mlnf_tensor_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retainGraph ? 1 : 0));

    /// <summary>Copies <paramref name="source"/> (broadcast, converted) into this tensor.</summary>
    public Tensor Copy_(Tensor source)
    {
        NativeError.Check(Native.mlnf_tensor_copy_(Handle, source.Handle));
        return this;
    }

    /// <summary>Replaces this tensor's data by <paramref name="source"/>'s, keeping its identity (PyTorch's <c>p.data = x</c>).</summary>
    public void SetData(Tensor source) => NativeError.Check(Native.mlnf_tensor_set_data(Handle, source.Handle));

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor Fill_(double value)
    {
        NativeError.Check(Native.mlnf_tensor_fill_(Handle, value));
        return this;
    }

    /// <summary>Sets every element to zero.</summary>
    public Tensor Zero_() => Fill_(0);

    /// <summary>Fills with uniform draws from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public Tensor Uniform_(double low, double high)
    {
        NativeError.Check(Native.mlnf_tensor_uniform_(Handle, low, high));
        return this;
    }

    /// <summary>Fills with normal draws.</summary>
    public Tensor Normal_(double mean = 0, double std = 1)
    {
        NativeError.Check(Native.mlnf_tensor_normal_(Handle, mean, std));
        return this;
    }

    /// <summary>this += alpha · other.</summary>
    public Tensor Add_(Tensor other, double alpha = 1)
    {
        NativeError.Check(Native.mlnf_tensor_add_(Handle, other.Handle, alpha));
        return this;
    }

    /// <summary>this *= value.</summary>
    public Tensor Mul_(double value)
    {
        NativeError.Check(Native.mlnf_tensor_mul_scalar_(Handle, value));
        return this;
    }

    /// <summary>max(this, 0) in place (autograd-safe where the input is not needed for backward, e.g. after a convolution).</summary>
    public Tensor Relu_()
    {
        NativeError.Check(Native.mlnf_tensor_relu_(Handle));
        return this;
    }

    /// <summary>this += value · a · b.</summary>
    public Tensor Addcmul_(Tensor a, Tensor b, double value = 1)
    {
        NativeError.Check(Native.mlnf_tensor_addcmul_(Handle, a.Handle, b.Handle, value));
        return this;
    }

    /// <summary>this += value · a / b.</summary>
    public Tensor Addcdiv_(Tensor a, Tensor b, double value = 1)
    {
        NativeError.Check(Native.mlnf_tensor_addcdiv_(Handle, a.Handle, b.Handle, value));
        return this;
    }
}
