using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// The DCGAN-style initialisation of openai/InfoGAN (its custom_ops): every fully connected and (transposed)
/// convolution weight drawn from N(0, σ²) with σ = 0.02, biases zero, batch-normalisation scales from N(1, σ²) and
/// shifts zero. Draws come from libtorch's default generator (seed it first for reproducible weights).
/// </summary>
public static class InfoGanInitialization
{
    /// <summary>openai/InfoGAN's σ.</summary>
    public const double DefaultStandardDeviation = 0.02;

    /// <summary>Re-draws every weight of <paramref name="model"/> (G, D and Q) as described above, in place.</summary>
    /// <param name="model">The networks to initialise.</param>
    /// <param name="standardDeviation">σ of the weights (and of the batch-normalisation scales around 1); positive.</param>
    public static void Normal(InfoGanModel model, double standardDeviation = DefaultStandardDeviation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(standardDeviation);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // the in-place draws return new handles on the parameters
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear or Conv2d or ConvTranspose2d:
                    Draw(module, 0, standardDeviation);
                    break;
                case BatchNorm1d or BatchNorm2d:
                    Draw(module, 1, standardDeviation);
                    break;
            }
        }
    }

    private static void Draw(nn.Module module, double mean, double standardDeviation)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
        {
            if (name == "weight")
            {
                parameter.normal_(mean, standardDeviation);
            }
            else if (name == "bias")
            {
                parameter.zero_();
            }
        }
    }
}
