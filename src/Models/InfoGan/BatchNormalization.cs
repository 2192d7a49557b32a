using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// Batch normalisation over the channels (dimension 1) of [N, C] or [N, C, H, W] activations, as torch.nn.BatchNorm1d and
/// BatchNorm2d compute it (momentum 0.1, ε = 1e-5, learned scale and shift, running statistics), with their state
/// names: weight, bias, running_mean, running_var, num_batches_tracked.
/// </summary>
/// <remarks>
/// The library's own rather than TorchSharp's <c>BatchNorm1d</c>/<c>BatchNorm2d</c>: TorchSharp 0.107 counts the batch
/// in training mode with a temporary <see cref="TorchSharp.Scalar"/> that nothing keeps alive during the native call,
/// so a garbage collection started meanwhile can free it mid-call. Here the increment is <see cref="Scalars.One"/>.
/// </remarks>
public sealed class BatchNormalization : nn.Module<Tensor, Tensor>
{
    /// <summary>The running statistics' update weight: r ← (1 − m)·r + m·(the batch's statistic).</summary>
    public const double Momentum = 0.1;

    /// <summary>ε of x̂ = (x − μ)/√(σ² + ε).</summary>
    public const double Epsilon = 1e-5;

    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;

    /// <summary>Normalisation of <paramref name="features"/> channels: scale 1, shift 0, running mean 0 and variance 1.</summary>
    public BatchNormalization(long features)
        : base(nameof(BatchNormalization))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        weight = nn.Parameter(ones(features)).Owned();
        bias = nn.Parameter(zeros(features)).Owned();
        running_mean = zeros(features).Owned();
        running_var = ones(features).Owned();
        num_batches_tracked = tensor(0L).Owned();
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        register_buffer(nameof(num_batches_tracked), num_batches_tracked);
    }

    /// <summary>The number of channels normalised.</summary>
    public long Features { get; }

    /// <summary>
    /// In training mode, normalises with the batch's statistics and updates the running ones; in evaluation mode, with
    /// the running statistics.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() is not (2 or 4) || input.size(1) != Features)
        {
            throw new ArgumentException($"expected [N, {Features}] or [N, {Features}, H, W] activations, got [{string.Join(", ", input.shape)}]", nameof(input));
        }

        if (training)
        {
            using var noGrad = no_grad();
            num_batches_tracked.add_(Scalars.One, Scalars.One);
        }

        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
    }
}
