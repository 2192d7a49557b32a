using Microsoft.ML;
using MLNetFlows.Estimators;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.Flows;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Transforms.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Onnx.Tests;

/// <summary>
/// Tiny Glows trained for a few steps on Fashion-MNIST, then their zero-initialised parts (coupling output convolutions,
/// priors) given small seeded weights, which would otherwise hide errors in the couplings and priors, then saved and
/// loaded back, so the exporter sees what a loaded model holds.
/// </summary>
public static class TinyGlows
{
    /// <summary>Architectures the parity tests cover: padding, bit reduction, soft clamp, plain 1×1 convs, additive couplings, fixed top prior.</summary>
    public enum Variant
    {
        /// <summary>Affine, LU, L = 2 (28×28 unpadded), 8 bits, learned top prior.</summary>
        Default,

        /// <summary>L = 3 (padded to 32×32), 5 bits, soft clamp 2, plain 1×1 convolutions, N(0, I) top prior.</summary>
        PaddedFiveBitsSoftClamp,

        /// <summary>Additive couplings, L = 1.</summary>
        Additive,
    }

    internal static GlowTrainerOptions Options(Variant variant)
    {
        var options = new GlowTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16,
            BatchSize = 32, NumberOfEpochs = 1, WarmupSteps = 2, LearningRate = 2e-3, ScoringBatchSize = 50, ValidationFraction = 0.25,
            Seed = 7, OutputLatent = true,
        };
        switch (variant)
        {
            case Variant.PaddedFiveBitsSoftClamp:
                options.Levels = 3;
                options.NumberOfBits = 5;
                options.SoftClamp = 2;
                options.Permutation = ConvolutionParameterization.Plain;
                options.LearnTopPrior = false;
                break;
            case Variant.Additive:
                options.Levels = 1;
                options.Coupling = CouplingKind.Additive;
                break;
        }

        return options;
    }

    internal static MLContext FreshContext()
    {
        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterMLNetFlows();
        return ml;
    }

    internal static GlowTransformer Density(Variant variant)
    {
        var ml = new MLContext(1);
        using var trained = ml.Transforms.Glow(Options(variant)).Fit(TrainingImages(ml));
        return (GlowTransformer)Reload(ml, trained);
    }

    internal static GlowAnomalyTransformer Detector(AnomalyScoreKind kind = AnomalyScoreKind.BitsPerDim)
    {
        var ml = new MLContext(2);
        var o = Options(Variant.Default);
        var options = new GlowAnomalyOptions
        {
            ImageHeight = o.ImageHeight, ImageWidth = o.ImageWidth, Levels = o.Levels, StepsPerLevel = o.StepsPerLevel, HiddenChannels = o.HiddenChannels,
            BatchSize = o.BatchSize, NumberOfEpochs = 1, WarmupSteps = o.WarmupSteps, LearningRate = o.LearningRate, ScoringBatchSize = 50,
            ValidationFraction = 0.25, Seed = 7, ScoreKind = kind, TargetFalsePositiveRate = 0.1,
        };
        using var trained = ml.AnomalyDetection.Trainers.Glow(options).Fit(TrainingImages(ml));
        return (GlowAnomalyTransformer)Reload(ml, trained);
    }

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images (Features: Vector&lt;Single, 1, 28, 28&gt;, 0–255).</summary>
    internal static IDataView TestImages(MLContext ml, int count) => ml.Data.LoadFashionMnist(FashionMnistSplit.Test, count);

    private static IDataView TrainingImages(MLContext ml) => ml.Data.LoadFashionMnist(FashionMnistSplit.Train, 96);

    private static ITransformer Reload(MLContext ml, ITransformer trained)
    {
        var model = trained is GlowAnomalyTransformer detector ? detector.Density.Model : ((GlowTransformer)trained).Model;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var generator = new Generator(11);
            foreach (var (name, parameter) in model.named_parameters())
            {
                // The zero-initialised parts (coupling output convolutions, split priors, top prior) barely move in a few
                // steps: give them small seeded weights; the rest is already non-trivial (random init, data-dependent ActNorm).
                var zeroInitialised = name.Contains("conv3", StringComparison.Ordinal) || name.Contains("_prior", StringComparison.Ordinal);
                if (zeroInitialised)
                {
                    parameter.add_(randn(parameter.shape, generator: generator) * (name.EndsWith("logs", StringComparison.Ordinal) ? 0.01 : 0.02));
                }
            }
        }

        using var stream = new MemoryStream();
        ml.Model.Save(trained, null, stream);
        stream.Position = 0;
        return FreshContext().Model.Load(stream, out _);
    }
}
