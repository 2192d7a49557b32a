using Onnx;

namespace MLNetFlows.Onnx.Graph;

/// <summary>The opset-17 operators the exporters use, one method each, returning the output's name.</summary>
internal sealed partial class OnnxGraphBuilder
{
    public string Add(string a, string b) => Node("Add", [a, b]);

    public string Sub(string a, string b) => Node("Sub", [a, b]);

    public string Mul(string a, string b) => Node("Mul", [a, b]);

    public string Div(string a, string b) => Node("Div", [a, b]);

    public string Neg(string x) => Node("Neg", [x]);

    public string Exp(string x) => Node("Exp", [x]);

    public string Relu(string x) => Node("Relu", [x]);

    public string Softplus(string x) => Node("Softplus", [x]);

    public string Atan(string x) => Node("Atan", [x]);

    public string Floor(string x) => Node("Floor", [x]);

    public string Greater(string a, string b) => Node("Greater", [a, b]);

    /// <summary>Clip to [<paramref name="min"/>, <paramref name="max"/>] (float scalars).</summary>
    public string Clip(string x, double min, double max) => Node("Clip", [x, Scalar("clip_min", min), Scalar("clip_max", max)]);

    /// <summary>Stride-1 2-D convolution with zero padding on every side and a bias.</summary>
    public string Conv(string x, string weight, string bias, long kernel, long padding) =>
        Node("Conv", [x, weight, bias], Ints("kernel_shape", kernel, kernel), Ints("pads", padding, padding, padding, padding), Ints("strides", 1, 1));

    /// <summary>2-D convolution with a square kernel, the given stride, symmetric zero padding and a bias.</summary>
    public string Conv(string x, string weight, string bias, long kernel, long stride, long padding) =>
        Node("Conv", [x, weight, bias], Ints("kernel_shape", kernel, kernel), Ints("pads", padding, padding, padding, padding), Ints("strides", stride, stride));

    /// <summary>Average over non-overlapping <paramref name="kernel"/>×<paramref name="kernel"/> windows (stride = kernel, no padding).</summary>
    public string AveragePool(string x, long kernel) =>
        Node("AveragePool", [x], Ints("kernel_shape", kernel, kernel), Ints("strides", kernel, kernel));

    /// <summary>2-D transposed convolution (weight [in, out, k, k]) with a square kernel, stride and padding, with or without a bias.</summary>
    public string ConvTranspose(string x, string weight, string? bias, long kernel, long stride, long padding) =>
        Node("ConvTranspose", bias is null ? [x, weight] : [x, weight, bias], Ints("kernel_shape", kernel, kernel), Ints("pads", padding, padding, padding, padding), Ints("strides", stride, stride));

    /// <summary>x·Wᵀ + b for x [N, in], W [out, in] (a fully connected layer).</summary>
    public string Linear(string x, string weight, string bias) => Node("Gemm", [x, weight, bias], Int("transB", 1));

    public string MatMul(string a, string b) => Node("MatMul", [a, b]);

    public string LeakyRelu(string x, double slope) =>
        Node("LeakyRelu", [x], new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = (float)slope });

    public string Sigmoid(string x) => Node("Sigmoid", [x]);

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public string Softmax(string x, long axis) => Node("Softmax", [x], Int("axis", axis));

    /// <summary>Index of the largest element along <paramref name="axis"/> (int64, the axis dropped).</summary>
    public string ArgMax(string x, long axis) => Node("ArgMax", [x], Int("axis", axis), Int("keepdims", 0));

    /// <summary>Elements [<paramref name="start"/>, <paramref name="end"/>) of axis <paramref name="axis"/>.</summary>
    public string Slice(string x, long axis, long start, long end) =>
        Node("Slice", [x, Int64s("starts", start), Int64s("ends", end), Int64s("axes", axis)]);

    public string Concat(long axis, params string[] inputs) => Node("Concat", inputs, Int("axis", axis));

    public string Reshape(string x, params long[] shape) => Node("Reshape", [x, Int64s("shape", shape)]);

    public string Transpose(string x, params long[] permutation) => Node("Transpose", [x], Ints("perm", permutation));

    /// <summary>Sum over <paramref name="axes"/>, dropping them.</summary>
    public string ReduceSum(string x, params long[] axes) => Node("ReduceSum", [x, Int64s("axes", axes)], Int("keepdims", 0));

    public string Unsqueeze(string x, params long[] axes) => Node("Unsqueeze", [x, Int64s("axes", axes)]);

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/> (ONNX's bidirectional broadcasting).</summary>
    public string Expand(string x, params long[] shape) => Node("Expand", [x, Int64s("shape", shape)]);

    /// <summary>[N, ...] → [N, product of the rest].</summary>
    public string Flatten(string x) => Node("Flatten", [x], Int("axis", 1));

    /// <summary>Zero padding at the end of the two spatial axes of an [N, C, H, W] tensor.</summary>
    public string PadBottomRight(string x, long bottom, long right) =>
        Node("Pad", [x, Int64s("pads", 0, 0, 0, 0, 0, 0, bottom, right)], new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("constant") });
}
