using System.Globalization;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>
/// Watches an InfoGAN run for the three faces of mode collapse, once per epoch: the discriminator wins outright (its
/// mean GAN loss falls towards 0, so G gets no useful gradient); Q's predicted classes over a probe batch of generated
/// images, drawn with uniform codes, concentrate on few classes (the categorical code no longer changes the images);
/// the probe images stop varying (per-pixel spread across the batch far below the training images'). The probe is
/// generated in evaluation mode from a seed of its own, so watching changes neither the model nor the run.
/// <see cref="InfoGanTraining"/> runs it after every epoch; a custom training loop can run it too.
/// </summary>
public sealed class ModeCollapseWatch
{
    /// <summary>Images of the probe batch.</summary>
    public const int ProbeSize = 256;

    /// <summary>D's mean GAN loss below this means D wins outright (2·ln 2 ≈ 1.39 at the equilibrium).</summary>
    public const double DiscriminatorLossFloor = 0.02;

    /// <summary>Normalised entropy of the predicted classes below this means the categorical code collapsed.</summary>
    public const double CodeEntropyFloor = 0.3;

    /// <summary>Relative sample variation below this means the samples stopped varying.</summary>
    public const double SampleVariationFloor = 0.1;

    private const ulong ProbeStream = 5;
    private static readonly Scalar ProbeCount = Scalars.Of((double)ProbeSize);
    private readonly InfoGanArchitecture _architecture;
    private readonly int _seed;
    private readonly torch.Device _device;
    private readonly double _realSpread;

    /// <summary>Measures the spread of up to <see cref="ProbeSize"/> training images (UInt8 [N, C, H, W]), the yardstick of sample variation.</summary>
    /// <param name="architecture">The shape of the models to watch.</param>
    /// <param name="seed">The run's seed (the probes draw from a stream of their own).</param>
    /// <param name="device">The device the models live on.</param>
    /// <param name="train">Training pixel levels, UInt8 [N, C, H, W] (not kept).</param>
    public ModeCollapseWatch(InfoGanArchitecture architecture, int seed, torch.Device device, Tensor train)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(train);
        _architecture = architecture;
        _seed = seed;
        _device = device;
        using var scope = NewDisposeScope();
        var order = SeedSequence.Permutation(seed, ProbeStream, -1, (int)train.shape[0]);
        var rows = tensor(order.Take(ProbeSize).Select(i => (long)i).ToArray(), device: train.device);
        _realSpread = Spread(train.index_select(0, rows).to(float32).div_(Scalars.Of(255.0)));
    }

    /// <summary>
    /// Probes the model after epoch <paramref name="epoch"/> (0-based) and returns the code entropy (see
    /// <see cref="InfoGanEpochReport.CodeEntropy"/>), the sample variation (see <see cref="InfoGanEpochReport.SampleVariation"/>)
    /// and the diagnosis: null, or "mode collapse: " followed by every signal seen and what to change.
    /// </summary>
    /// <param name="model">The model to probe (left in the mode it was in).</param>
    /// <param name="epoch">The epoch just finished, 0-based (selects the probe's draw).</param>
    /// <param name="discriminatorLoss">D's mean GAN loss over the epoch.</param>
    public (double CodeEntropy, double SampleVariation, string? Diagnosis) Check(InfoGanModel model, int epoch, double discriminatorLoss)
    {
        ArgumentNullException.ThrowIfNull(model);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            TorchSeeding.Reseed(SeedSequence.Derive(_seed, ProbeStream, epoch), _device);
            var codes = InfoGanLatent.SampleCodes(_architecture, ProbeSize, _device);
            var images = model.Generate(InfoGanLatent.Compose(_architecture, InfoGanLatent.SampleNoise(_architecture, ProbeSize, _device), codes));
            var recognition = model.Infer(images);
            var entropy = double.NaN;
            var worstCode = -1;
            for (var i = 0; i < _architecture.CategoryCounts.Count; i++)
            {
                var k = _architecture.CategoryCounts[i];
                var predicted = recognition.LogitsOf(_architecture.CategoryCounts, i).argmax(1);
                var shares = bincount(predicted, minlength: k).to(float64).div_(ProbeCount);
                var h = Math.Max(0, -(shares * shares.clamp_min(Scalars.Of(1e-12)).log()).sum().item<double>() / Math.Log(k));
                if (double.IsNaN(entropy) || h < entropy)
                {
                    (entropy, worstCode) = (h, i);
                }
            }

            var variation = Spread(images) / Math.Max(_realSpread, 1e-12);
            return (entropy, variation, Diagnose(discriminatorLoss, entropy, worstCode, variation));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private string? Diagnose(double discriminatorLoss, double entropy, int worstCode, double variation)
    {
        var signals = new List<string>();
        if (discriminatorLoss < DiscriminatorLossFloor)
        {
            signals.Add(Invariant($"the discriminator wins outright (its mean loss is {discriminatorLoss:G3}, below {DiscriminatorLossFloor}), so the generator gets no useful gradient; lower DiscriminatorLearningRate or raise GeneratorLearningRate"));
        }

        if (entropy < CodeEntropyFloor)
        {
            signals.Add(Invariant($"categorical code {worstCode} collapsed (Q's predicted classes over {ProbeSize} generated images have normalised entropy {entropy:F3}, below {CodeEntropyFloor}: the code no longer changes the images); raise CategoricalWeight or lower DiscriminatorLearningRate"));
        }

        if (variation < SampleVariationFloor)
        {
            signals.Add(Invariant($"the samples stopped varying (their per-pixel spread is {variation:F3} of the training images', below {SampleVariationFloor}); lower the learning rates, or restart with another Seed"));
        }

        return signals.Count == 0 ? null : "mode collapse: " + string.Join("; and ", signals);
    }

    /// <summary>Mean over pixels of the standard deviation across the batch.</summary>
    private static double Spread(Tensor images) => images.std(0, unbiased: false).mean().item<float>();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
