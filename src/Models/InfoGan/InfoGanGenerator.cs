using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// InfoGAN's generator G (the paper's MNIST architecture, sizes derived from the image shape): latent [N, L] →
/// FC <see cref="InfoGanArchitecture.HiddenUnits"/> → BN → ReLU → FC (2·c·H/4·W/4) → BN → ReLU → reshape
/// [N, 2c, H/4, W/4] → 4×4/2 up-convolution c → BN → ReLU → 4×4/2 up-convolution C → sigmoid, with
/// c = <see cref="InfoGanArchitecture.ConvolutionChannels"/>: images [N, C, H, W] in [0, 1] (the mean of openai/InfoGAN's
/// Bernoulli output). State names: fc1, bn1, fc2, bn2, deconv1, bn3, deconv2.
/// </summary>
public sealed class InfoGanGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly BatchNormalization bn1;
    private readonly Linear fc2;
    private readonly BatchNormalization bn2;
    private readonly ConvTranspose2d deconv1;
    private readonly BatchNormalization bn3;
    private readonly ConvTranspose2d deconv2;
    private readonly long[] _reshaped;

    /// <summary>Builds the generator with fresh weights drawn from libtorch's seeded generator.</summary>
    public InfoGanGenerator(InfoGanArchitecture architecture)
        : base(nameof(InfoGanGenerator))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        var wide = 2L * architecture.ConvolutionChannels;
        _reshaped = [wide, architecture.Height / 4, architecture.Width / 4];
        fc1 = nn.Linear(architecture.LatentSize, architecture.HiddenUnits);
        bn1 = new BatchNormalization(architecture.HiddenUnits);
        fc2 = nn.Linear(architecture.HiddenUnits, wide * _reshaped[1] * _reshaped[2]);
        bn2 = new BatchNormalization(wide * _reshaped[1] * _reshaped[2]);
        deconv1 = InfoGanLayers.Up(wide, architecture.ConvolutionChannels);
        bn3 = new BatchNormalization(architecture.ConvolutionChannels);
        deconv2 = InfoGanLayers.Up(architecture.ConvolutionChannels, architecture.Channels);
        RegisterComponents();
    }

    /// <summary>The shape this generator was built for.</summary>
    public InfoGanArchitecture Architecture { get; }

    /// <summary>Images [N, C, H, W] in [0, 1] from latent vectors [N, <see cref="InfoGanArchitecture.LatentSize"/>].</summary>
    public override Tensor forward(Tensor latent)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.dim() != 2 || latent.size(1) != Architecture.LatentSize)
        {
            throw new ArgumentException($"expected latent vectors [N, {Architecture.LatentSize}], got [{string.Join(", ", latent.shape)}]", nameof(latent));
        }

        using var scope = NewDisposeScope();
        var h = nn.functional.relu(bn1.call(fc1.call(latent)));
        h = nn.functional.relu(bn2.call(fc2.call(h)));
        h = h.reshape([h.size(0), .. _reshaped]);
        h = nn.functional.relu(bn3.call(deconv1.call(InfoGanLayers.Layout(h))));
        return deconv2.call(InfoGanLayers.Layout(h)).sigmoid().MoveToOuterDisposeScope();
    }
}
