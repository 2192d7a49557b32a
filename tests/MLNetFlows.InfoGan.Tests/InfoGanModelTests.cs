using MLNetFlows.Models.InfoGan;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>Shapes and losses of G, D and Q on tiny inputs.</summary>
public sealed class InfoGanModelTests
{
    public static TheoryData<string> Architectures => ["gray8", "rgb12x8"];

    private static InfoGanArchitecture Named(string name) => name == "gray8" ? TinyArchitectures.Gray8 : TinyArchitectures.Rgb12x8;

    [Theory]
    [MemberData(nameof(Architectures))]
    public void GeneratorDiscriminatorAndRecognitionHaveTheArchitecturesShapes(string name)
    {
        using var leaks = new LeakCheck();
        var a = Named(name);
        manual_seed(1).Dispose();
        using var model = new InfoGanModel(a);
        using var scope = NewDisposeScope();
        var codes = InfoGanLatent.SampleCodes(a, 5);
        var latent = InfoGanLatent.Compose(a, InfoGanLatent.SampleNoise(a, 5), codes);

        var images = model.Generate(latent);
        var (logit, q) = model.Discriminator.call(images);

        Assert.Equal([5L, a.LatentSize], latent.shape);
        Assert.Equal([5L, a.Channels, a.Height, a.Width], images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1, "generated pixels must lie in [0, 1]");
        Assert.Equal([5L], logit.shape);
        Assert.Equal([5L, a.CategoryUnits], q.CategoryLogits.shape);
        Assert.Equal([5L, a.ContinuousCodes], q.ContinuousMean.shape);
        Assert.Equal([5L, a.ContinuousCodes], q.ContinuousLogStd.shape);
        Assert.Equal([5L, a.CategoryCounts[^1]], q.LogitsOf(a.CategoryCounts, a.CategoryCounts.Count - 1).shape);
        Assert.Equal(a.LearnContinuousStd, q.ContinuousLogStd.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void TheDefaultArchitectureIsThePapersMnistSetup()
    {
        using var leaks = new LeakCheck();
        var a = new InfoGanArchitecture { Channels = 1, Height = 28, Width = 28 };
        using var model = new InfoGanModel(a);

        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal(62 + 10 + 2, a.LatentSize);
        Assert.Equal([1024L, 74], shapes["generator.fc1.weight"]);
        Assert.Equal([7L * 7 * 128, 1024], shapes["generator.fc2.weight"]);
        Assert.Equal([128L, 64, 4, 4], shapes["generator.deconv1.weight"]);
        Assert.Equal([64L, 1, 4, 4], shapes["generator.deconv2.weight"]);
        Assert.Equal([64L, 1, 4, 4], shapes["discriminator.conv1.weight"]);
        Assert.Equal([128L, 64, 4, 4], shapes["discriminator.conv2.weight"]);
        Assert.Equal([1024L, 7 * 7 * 128], shapes["discriminator.fc3.weight"]);
        Assert.Equal([1L, 1024], shapes["discriminator.d_out.weight"]);
        Assert.Equal([128L, 1024], shapes["discriminator.q_fc.weight"]);
        Assert.Equal([12L, 128], shapes["discriminator.q_out.weight"]);
    }

    [Fact]
    public void LossesTakeTheirClosedFormValuesAtKnownPoints()
    {
        using var leaks = new LeakCheck();
        var a = TinyArchitectures.Rgb12x8; // codes of 3 and 4 classes, one continuous code
        using var scope = NewDisposeScope();
        var zero = zeros(6);
        var recognition = new InfoGanRecognition(zeros(6, 7), full(6, 1, 0.25f), zeros(6, 1));
        var categories = tensor(new long[] { 0, 3, 1, 0, 2, 1, 0, 2, 1, 3, 2, 0 }).reshape(6, 2);

        Assert.Equal(2 * Math.Log(2), InfoGanObjective.DiscriminatorLoss(zero, zero).item<float>(), 5);
        Assert.Equal(Math.Log(2), InfoGanObjective.GeneratorLoss(zero).item<float>(), 5);
        Assert.Equal(Math.Log(3) + Math.Log(4), InfoGanObjective.CategoricalLoss(a, recognition, categories).item<float>(), 5);
        Assert.Equal(InfoGanObjective.CategoricalEntropy(a), Math.Log(3) + Math.Log(4), 12);
        Assert.Equal(0.5 * Math.Log(2 * Math.PI), InfoGanObjective.ContinuousLoss(recognition, full(6, 1, 0.25f)).item<float>(), 5);
        // One standard deviation away with σ = e: NLL = ½ + 1 + ½ log 2π.
        var wide = new InfoGanRecognition(zeros(6, 7), zeros(6, 1), ones(6, 1));
        Assert.Equal(1.5 + (0.5 * Math.Log(2 * Math.PI)), InfoGanObjective.ContinuousLoss(wide, full(6, 1, (float)Math.E)).item<float>(), 4);
        // A confident, right Q has a small categorical loss; D that tells real from fake has a small loss.
        var right = new InfoGanRecognition(cat([nn.functional.one_hot(categories.select(1, 0), 3), nn.functional.one_hot(categories.select(1, 1), 4)], 1).to(float32).mul(20), zeros(6, 1), zeros(6, 1));
        Assert.True(InfoGanObjective.CategoricalLoss(a, right, categories).item<float>() < 1e-6);
        Assert.True(InfoGanObjective.DiscriminatorLoss(full(6, 20f), full(6, -20f)).item<float>() < 1e-6);
    }

    [Fact]
    public void BatchCategoryInformationLossIsMinusTheInformationBetweenImagesAndPredictedClasses()
    {
        using var leaks = new LeakCheck();
        var a = TinyArchitectures.Rgb12x8; // codes of 3 and 4 classes
        using var scope = NewDisposeScope();
        var random = new Random(5);
        var logits = Enumerable.Range(0, 12 * 7).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
        var expected = 0.0;
        foreach (var (start, k) in new[] { (0, 3), (3, 4) })
        {
            var p = Enumerable.Range(0, 12).Select(n => Softmax(logits.AsSpan((n * 7) + start, k))).ToArray();
            var marginal = Enumerable.Range(0, k).Select(c => p.Average(row => row[c])).ToArray();
            expected += p.Average(Entropy) - Entropy(marginal);
        }

        var recognition = new InfoGanRecognition(tensor(logits.Select(v => (float)v).ToArray()).reshape(12, 7), zeros(12, 1), zeros(12, 1));
        Assert.Equal(expected, InfoGanObjective.BatchCategoryInformationLoss(a, recognition).item<float>(), 5);
        // Uniform predictions carry no information; confident ones that use every class equally often carry all of H(c),
        // without overflow at logits of ±1000.
        Assert.Equal(0, InfoGanObjective.BatchCategoryInformationLoss(a, new InfoGanRecognition(zeros(12, 7), zeros(12, 1), zeros(12, 1))).item<float>(), 5);
        var rows = arange(12);
        var confident = cat([nn.functional.one_hot(rows.remainder(3), 3), nn.functional.one_hot(rows.remainder(4), 4)], 1).to(float32).mul(2000).sub(1000);
        var certain = InfoGanObjective.BatchCategoryInformationLoss(a, new InfoGanRecognition(confident, zeros(12, 1), zeros(12, 1)));
        Assert.Equal(-InfoGanObjective.CategoricalEntropy(a), certain.item<float>(), 5);
    }

    private static double[] Softmax(ReadOnlySpan<double> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var v in logits)
        {
            max = Math.Max(max, v);
        }

        var e = new double[logits.Length];
        for (var i = 0; i < e.Length; i++)
        {
            e[i] = Math.Exp(logits[i] - max);
        }

        var sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double Entropy(double[] p) => -p.Where(v => v > 0).Sum(v => v * Math.Log(v));

    [Fact]
    public void ComposeRefusesCodesThatDoNotFit()
    {
        using var leaks = new LeakCheck();
        var a = TinyArchitectures.Gray8;
        using var scope = NewDisposeScope();
        var noise = InfoGanLatent.SampleNoise(a, 2);

        var tooHigh = Assert.Throws<ArgumentException>(() => InfoGanLatent.Compose(a, noise, new InfoGanCodes(tensor(new long[] { 0, 3 }).reshape(2, 1), zeros(2, 2))));
        var wrongWidth = Assert.Throws<ArgumentException>(() => InfoGanLatent.Compose(a, noise, new InfoGanCodes(zeros(2, 1, ScalarType.Int64), zeros(2, 3))));

        Assert.Equal("categorical code 0 has 3 classes (0 … 2), got class 3", tooHigh.Message);
        Assert.Equal("expected continuous codes [2, 2], got [2, 3]", wrongWidth.Message);
    }

    [Fact]
    public void ArchitectureRefusesSidesNotDivisibleByFour()
    {
        var e = Assert.Throws<ArgumentException>(() => new InfoGanModel(new InfoGanArchitecture { Channels = 1, Height = 30, Width = 28 }));

        Assert.Equal("InfoGAN needs image height and width divisible by 4 (two stride-2 convolutions), got 30×28; resize or pad the images", e.Message);
    }

    [Fact]
    public void GeneratorGradientsThroughTheDiscriminatorDoNotReadStaleMemory()
    {
        // libtorch 2.10's NCHW convolution backward read uninitialised memory for the input gradient of D's first
        // convolution on one-channel images: with NaNs in freed memory, 101 of 300 such steps gave NaN generator gradients.
        using var leaks = new LeakCheck();
        manual_seed(1).Dispose();
        using var model = new InfoGanModel(TinyArchitectures.Gray8);
        for (var step = 0; step < 60; step++)
        {
            using (NewDisposeScope())
            {
                foreach (var size in new[] { 64, 256, 1024, 4096, 16384, 65536 })
                {
                    full(size + step, float.NaN).Dispose(); // freed memory full of NaNs for the next allocations
                }

                model.zero_grad();
                var latent = rand(16, model.Architecture.LatentSize);
                var (logit, codes) = model.Discriminator.call(model.Generate(latent));
                logit.sum().add(codes.CategoryLogits.sum(), Models.Runtime.Scalars.One).backward();
                var poisoned = model.Generator.named_parameters().Where(p => p.parameter.grad!.isnan().any().item<bool>()).Select(p => p.name).ToList();
                Assert.True(poisoned.Count == 0, $"step {step}: NaN gradients of {string.Join(", ", poisoned)}");
            }
        }
    }
}
