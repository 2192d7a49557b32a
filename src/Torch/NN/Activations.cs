namespace MLNetFlows.Torch.NN;

/// <summary>max(x, 0) as a module.</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>Leaky ReLU as a module.</summary>
/// <param name="negativeSlope">Slope for negative inputs.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(negativeSlope);
}

/// <summary>Hyperbolic tangent as a module.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>Logistic sigmoid as a module.</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>Flattens all but the batch dimension.</summary>
public sealed class Flatten : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(1);
}
