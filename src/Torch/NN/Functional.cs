using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.NN;

/// <summary>How a loss reduces its per-element values.</summary>
public enum Reduction
{
    /// <summary>Per-element losses.</summary>
    None = 0,

    /// <summary>The mean (the PyTorch default).</summary>
    Mean = 1,

    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>How <see cref="Functional.Interpolate"/> resamples.</summary>
public enum InterpolationMode
{
    /// <summary>Nearest neighbour.</summary>
    Nearest = 0,

    /// <summary>Bilinear with align_corners = false.</summary>
    Bilinear = 1,
}

/// <summary>Stateless neural-network functions (torch.nn.functional). Tensors are NCHW.</summary>
public static class Functional
{
    /// <summary>2-D convolution; weight is [out, in/groups, kh, kw].</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        new(Native.mlnf_nn_conv2d(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, stride, stride, padding, padding, dilation, dilation, groups));

    /// <summary>2-D transposed convolution; weight is [in, out/groups, kh, kw].</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, int dilation = 1) =>
        new(Native.mlnf_nn_conv_transpose2d(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, stride, stride, padding, padding, outputPadding, outputPadding, dilation, dilation, groups));

    /// <summary>x·Wᵀ + b; weight is [out, in].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        new(Native.mlnf_nn_linear(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null));

    /// <summary>
    /// Batch normalisation. In training it normalises with the batch statistics and updates the running
    /// statistics in place (running = (1 − momentum)·running + momentum·batch, unbiased variance); in eval it uses them.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        new(Native.mlnf_nn_batch_norm(input.Handle, weight?.Handle ?? TensorHandle.Null, bias?.Handle ?? TensorHandle.Null,
            runningMean?.Handle ?? TensorHandle.Null, runningVar?.Handle ?? TensorHandle.Null, training ? 1 : 0, momentum, eps));

    /// <summary>Zeroes elements with probability <paramref name="p"/> and scales the rest by 1/(1−p) when training.</summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true) =>
        new(Native.mlnf_nn_dropout(input.Handle, p, training ? 1 : 0));

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor input, long dim) => new(Native.mlnf_nn_softmax(input.Handle, dim));

    /// <summary>log-softmax along <paramref name="dim"/>, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor input, long dim) => new(Native.mlnf_nn_log_softmax(input.Handle, dim));

    /// <summary>Cross-entropy of logits [N, C] against Int64 class indices [N].</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean) =>
        new(Native.mlnf_nn_cross_entropy(logits.Handle, target.Handle, (int)reduction));

    /// <summary>Binary cross-entropy of logits against targets in [0, 1], computed stably.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean) =>
        new(Native.mlnf_nn_binary_cross_entropy_with_logits(logits.Handle, target.Handle, (int)reduction));

    /// <summary>Squared error.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        new(Native.mlnf_nn_mse_loss(input.Handle, target.Handle, (int)reduction));

    /// <summary>One-hot encoding of Int64 indices (Int64 result; convert with To(DType.Float32)).</summary>
    public static Tensor OneHot(Tensor indices, long numClasses) => new(Native.mlnf_nn_one_hot(indices.Handle, numClasses));

    /// <summary>2-D average pooling (stride defaults to the kernel size).</summary>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0)
    {
        var s = stride ?? kernelSize;
        return new(Native.mlnf_nn_avg_pool2d(input.Handle, kernelSize, kernelSize, s, s, padding, padding));
    }

    /// <summary>Resamples NCHW images to <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static Tensor Interpolate(Tensor input, long height, long width, InterpolationMode mode = InterpolationMode.Nearest) =>
        new(Native.mlnf_nn_interpolate(input.Handle, height, width, (int)mode));
}
