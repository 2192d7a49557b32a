using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Element-wise maths with broadcasting, and the arithmetic operators.</summary>
public sealed partial class Tensor
{
    /// <summary>−x.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);

    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);

    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);

    /// <summary>1/√x.</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);

    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);

    /// <summary>1/(1+e⁻ˣ).</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);

    /// <summary>log σ(x), computed stably.</summary>
    public Tensor LogSigmoid() => Unary(UnaryOp.LogSigmoid);

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);

    /// <summary>Arc tangent.</summary>
    public Tensor Atan() => Unary(UnaryOp.Atan);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);

    /// <summary>Sign (−1, 0, 1).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);

    /// <summary>Round down.</summary>
    public Tensor Floor() => Unary(UnaryOp.Floor);

    /// <summary>Round up.</summary>
    public Tensor Ceil() => Unary(UnaryOp.Ceil);

    /// <summary>Round half to even.</summary>
    public Tensor Round() => Unary(UnaryOp.Round);

    /// <summary>log(1+x).</summary>
    public Tensor Log1p() => Unary(UnaryOp.Log1p);

    /// <summary>eˣ−1.</summary>
    public Tensor Expm1() => Unary(UnaryOp.Expm1);

    /// <summary>x².</summary>
    public Tensor Square() => Unary(UnaryOp.Square);

    /// <summary>1/x.</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);

    /// <summary>Sine.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin);

    /// <summary>Cosine.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos);

    /// <summary>Boolean mask of finite elements.</summary>
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    /// <summary>Logical negation (as Bool).</summary>
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);

    /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => new(Native.mlnf_ops_leaky_relu(Handle, negativeSlope));

    /// <summary>(1/β)·log(1+e^(βx)), linear above <paramref name="threshold"/>.</summary>
    public Tensor Softplus(double beta = 1, double threshold = 20) => new(Native.mlnf_ops_softplus(Handle, beta, threshold));

    /// <summary>Clamps to [min, max]; a null bound is open.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        new(Native.mlnf_ops_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));

    /// <summary>xʸ element-wise.</summary>
    public Tensor Pow(Tensor exponent) => Binary(this, exponent, BinaryOp.Pow);

    /// <summary>xᵖ.</summary>
    public Tensor Pow(double exponent) => Binary(this, exponent, BinaryOp.Pow);

    /// <summary>Element-wise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(this, other, BinaryOp.Maximum);

    /// <summary>Element-wise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(this, other, BinaryOp.Minimum);

    /// <summary>this + alpha · other.</summary>
    public Tensor Add(Tensor other, double alpha) => new(Native.mlnf_ops_add_scaled(Handle, other.Handle, alpha));

    /// <summary>Element-wise equality (Bool).</summary>
    public Tensor Eq(Tensor other) => Binary(this, other, BinaryOp.Eq);

    /// <summary>Element-wise equality with a scalar (Bool).</summary>
    public Tensor Eq(double other) => Binary(this, other, BinaryOp.Eq);

    /// <summary>Element-wise inequality (Bool).</summary>
    public Tensor Ne(Tensor other) => Binary(this, other, BinaryOp.Ne);

    /// <summary>Element-wise inequality with a scalar (Bool).</summary>
    public Tensor Ne(double other) => Binary(this, other, BinaryOp.Ne);

    /// <summary>Element-wise less-than (Bool).</summary>
    public Tensor Lt(Tensor other) => Binary(this, other, BinaryOp.Lt);

    /// <summary>Element-wise less-than a scalar (Bool).</summary>
    public Tensor Lt(double other) => Binary(this, other, BinaryOp.Lt);

    /// <summary>Element-wise less-or-equal (Bool).</summary>
    public Tensor Le(Tensor other) => Binary(this, other, BinaryOp.Le);

    /// <summary>Element-wise less-or-equal a scalar (Bool).</summary>
    public Tensor Le(double other) => Binary(this, other, BinaryOp.Le);

    /// <summary>Element-wise greater-than (Bool).</summary>
    public Tensor Gt(Tensor other) => Binary(this, other, BinaryOp.Gt);

    /// <summary>Element-wise greater-than a scalar (Bool).</summary>
    public Tensor Gt(double other) => Binary(this, other, BinaryOp.Gt);

    /// <summary>Element-wise greater-or-equal (Bool).</summary>
    public Tensor Ge(Tensor other) => Binary(this, other, BinaryOp.Ge);

    /// <summary>Element-wise greater-or-equal a scalar (Bool).</summary>
    public Tensor Ge(double other) => Binary(this, other, BinaryOp.Ge);

    /// <summary>Picks <paramref name="whereTrue"/> where <paramref name="condition"/> holds, else <paramref name="whereFalse"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor whereTrue, Tensor whereFalse) =>
        new(Native.mlnf_ops_where(condition.Handle, whereTrue.Handle, whereFalse.Handle));

    /// <summary>Element-wise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Add);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => Binary(a, b, BinaryOp.Add);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => Binary(b, a, BinaryOp.Add);

    /// <summary>Element-wise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Sub);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => Binary(a, b, BinaryOp.Sub);

    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(double a, Tensor b) => new(Native.mlnf_ops_rsub_scalar(b.Handle, a));

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Mul);

    /// <summary>Scales by a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => Binary(a, b, BinaryOp.Mul);

    /// <summary>Scales by a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => Binary(b, a, BinaryOp.Mul);

    /// <summary>Element-wise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Div);

    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => Binary(a, b, BinaryOp.Div);

    /// <summary>Scalar divided by tensor.</summary>
    public static Tensor operator /(double a, Tensor b)
    {
        using var reciprocal = b.Reciprocal();
        return reciprocal * a;
    }

    private Tensor Unary(UnaryOp op) => new(Native.mlnf_ops_unary(Handle, (int)op));

    private static Tensor Binary(Tensor a, Tensor b, BinaryOp op) => new(Native.mlnf_ops_binary(a.Handle, b.Handle, (int)op));

    private static Tensor Binary(Tensor a, double b, BinaryOp op) => new(Native.mlnf_ops_binary_scalar(a.Handle, b, (int)op));
}
