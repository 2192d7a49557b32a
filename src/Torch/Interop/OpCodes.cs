namespace MLNetFlows.Torch.Interop;

/// <summary>Unary op codes of <c>mlnf_ops_unary</c>, in the order of ops.cpp's UnaryOp (append only).</summary>
internal enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Rsqrt, Abs, Sigmoid, Tanh, Atan, Relu, Sign, Floor, Round, Log1p, Expm1,
    Square, IsFinite, LogicalNot, Sin, Cos, LogSigmoid, Ceil, Reciprocal,
}

/// <summary>Binary op codes of <c>mlnf_ops_binary</c>, in the order of ops.cpp's BinaryOp (append only).</summary>
internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge,
}
