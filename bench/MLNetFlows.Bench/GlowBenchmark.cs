using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Optim;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Bench;

/// <summary>
/// The binding's side of the Glow speed benchmark, mirroring bench/reference/glow_bench.py step for step: Fashion-MNIST
/// padded to 32×32, a training step = prepare with noise → forward → mean bits/dim → zero grad → backward → Adamax step;
/// scoring = inference-mode forward of centred inputs, with the fused oneDNN coupling networks and without. Prints JSON
/// lines (images/s per batch size and variant).
/// </summary>
internal static class GlowBenchmark
{
    public static void Run(int levels, int steps, int hidden, IReadOnlyList<int> batchSizes, bool quick)
    {
        var (images, _) = FashionMnist.LoadRaw(train: true);
        var count = Math.Min(images.Count, 4096);
        using var pixels = Tensor.FromSpan(images.Pixels.Span[..(count * 28 * 28)], [count, 1, 28, 28]);
        using var floats = pixels.To(DType.Float32);
        var architecture = new GlowArchitecture
        {
            Channels = 1, Height = GlowInput.PaddedSide(28, levels), Width = GlowInput.PaddedSide(28, levels),
            Levels = levels, StepsPerLevel = steps, HiddenChannels = hidden,
        };
        foreach (var batch in batchSizes)
        {
            TorchRuntime.ManualSeed(0);
            using var model = new GlowModel(architecture);
            using var optimizer = new Adamax(model.Parameters(), 1e-3);
            var offset = 0L;
            Tensor NextBatch()
            {
                offset = (offset + batch) % (count - batch);
                return floats.Narrow(0, offset, batch);
            }

            void TrainStep()
            {
                using var scope = DisposeScope.Enter();
                var x = GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: true);
                var loss = GlowInput.BitsPerDim(model.Evaluate(x).LogDensity, architecture.Dimensions, 784, 8).Mean();
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }

            var trainCalls = quick ? 3 : 8;
            var trainUs = Timing.MicrosecondsPerCall(TrainStep, trainCalls, quick ? 2 : 3, 2);
            Report("train", batch, batch / (trainUs * 1e-6));

            model.Eval();
            void ScoreStep()
            {
                using var inference = Autograd.InferenceMode();
                using var scope = DisposeScope.Enter();
                var x = GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: false);
                model.Evaluate(x).LogDensity.Sum().Item();
            }

            // Scoring with the fused oneDNN coupling networks (the default on the CPU), then with the ordinary ops.
            foreach (var fused in new[] { true, false })
            {
                FusedInference.Enabled = fused;
                var scoreUs = Timing.MicrosecondsPerCall(ScoreStep, quick ? 5 : 20, quick ? 2 : 3, 2);
                Report("score", batch, batch / (scoreUs * 1e-6), fused ? "fused" : "unfused");
            }

            FusedInference.Enabled = true;
        }
    }

    private static void Report(string kind, int batch, double imagesPerSecond, string variant = "default") =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"side\":\"mlnetflows\",\"kind\":\"{kind}\",\"batch\":{batch},\"layout\":\"{variant}\",\"images_per_s\":{imagesPerSecond:F1}}}"));
}
