using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// InfoGAN (Chen et al. 2016): a generator G of images from noise and codes, and a discriminator D sharing its body with
/// the recognition network Q that infers the codes back from images. A TorchSharp module: <c>forward</c>/<c>call</c>
/// generate (<see cref="Generate"/>); state names are <c>generator.*</c> and <c>discriminator.*</c>.
/// </summary>
public sealed class InfoGanModel : nn.Module<Tensor, Tensor>
{
    private readonly InfoGanGenerator generator;
    private readonly InfoGanDiscriminator discriminator;

    /// <summary>Builds G, D and Q with fresh weights drawn from libtorch's seeded generator.</summary>
    public InfoGanModel(InfoGanArchitecture architecture)
        : base(nameof(InfoGanModel))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Runtime.TorchRuntime.EnsureInitialized();
        Architecture = architecture;
        generator = new InfoGanGenerator(architecture);
        discriminator = new InfoGanDiscriminator(architecture);
        RegisterComponents();
    }

    /// <summary>The hyper-parameters of the networks.</summary>
    public InfoGanArchitecture Architecture { get; }

    /// <summary>The generator G.</summary>
    public InfoGanGenerator Generator => generator;

    /// <summary>The discriminator D with the recognition network Q.</summary>
    public InfoGanDiscriminator Discriminator => discriminator;

    /// <summary>Images [N, C, H, W] in [0, 1] from latent vectors (see <see cref="InfoGanLatent.Compose"/>).</summary>
    public override Tensor forward(Tensor latent) => generator.call(latent);

    /// <summary>Images [N, C, H, W] in [0, 1] from latent vectors (see <see cref="InfoGanLatent.Compose"/>).</summary>
    public Tensor Generate(Tensor latent) => generator.call(latent);

    /// <summary>Q's inference of the codes of images [N, C, H, W] in [0, 1].</summary>
    public InfoGanRecognition Infer(Tensor images) => discriminator.Infer(images);
}
