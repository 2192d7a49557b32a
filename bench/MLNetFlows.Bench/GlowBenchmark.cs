using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Trainers;
using MLNetFlows.Transforms.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Bench;

/// <summary>
/// The TorchSharp side of the Glow speed benchmark, mirroring bench/reference/glow_bench.py step for step: Fashion-MNIST
/// padded to 2^L multiples, a training step = prepare with noise → forward → mean bits/dim → zero grad → backward →
/// Adamax step (the library's <see cref="AdamOptimizer"/>, the trainer's); scoring = inference-mode forward of centred inputs. Every variant (see <see cref="GlowVariant"/>) is
/// timed in every round, in alternating order (A B C … then … C B A), so a noisy machine spreads over all of them; each
/// variant trains its own model from the same seed, and scoring uses the trained model of the first variant. Prints one
/// JSON line per kind, batch size and variant (median images/s, min, max, samples) and a table on stderr.
/// </summary>
internal static class GlowBenchmark
{
    private const int ImageCount = 4096;

    public static void Run(BenchSettings settings)
    {
        var training = FashionMnist.LoadRaw(FashionMnistSplit.Train).Images;
        var count = Math.Min(ImageCount, training.Count);
        var bytes = training.Pixels[..(count * 28 * 28)].ToArray();
        using var pixels = tensor(bytes, [count, 1, 28, 28]).to(ScalarType.Float32);
        var side = GlowInput.PaddedSide(28, settings.Levels);
        var architecture = new GlowArchitecture
        {
            Channels = 1, Height = side, Width = side, Levels = settings.Levels, StepsPerLevel = settings.Steps, HiddenChannels = settings.Hidden,
        };
        Console.Error.WriteLine($"Glow L={settings.Levels} K={settings.Steps} hidden {settings.Hidden}, {side}x{side}x1, {settings.Threads} threads, {settings.Rounds} rounds");
        foreach (var batch in settings.BatchSizes)
        {
            var offset = 0L;
            Tensor NextBatch()
            {
                offset = (offset + batch) % (count - batch);
                return pixels.narrow(0, offset, batch);
            }

            var trainees = settings.Variants.Select(_ =>
            {
                manual_seed(0);
                var model = new GlowModel(architecture);
                return (Model: model, Optimizer: new AdamOptimizer(OptimizerKind.Adamax, model.parameters(), 1e-3));
            }).ToArray();
            try
            {
                if (settings.Train)
                {
                    var samples = Alternate(settings, (variant, index) =>
                    {
                        var (model, optimizer) = trainees[index];
                        void Step()
                        {
                            using var scope = NewDisposeScope();
                            var x = GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: true);
                            var loss = GlowInput.BitsPerDim(model.Evaluate(x).LogDensity, architecture.Dimensions, 784, 8).mean();
                            optimizer.ZeroGrad();
                            loss.backward();
                            optimizer.Step();
                        }

                        return batch / Seconds(Step, warmup: 1, calls: settings.Quick ? 2 : 3);
                    });
                    Report("train", batch, settings.Variants.Select(v => v.Name).ToArray(), samples);

                    // Data-parallel steps: the batch cut into one piece per thread, forward and backward of each piece at
                    // the same time on the inference workers (one libtorch thread each), gradients accumulating into the
                    // shared parameters; the optimizer step on this thread.
                    var trainPieces = InferenceWorkers.Pieces(batch, CPU);
                    var piecewise = Alternate(settings, (variant, index) =>
                    {
                        var (model, optimizer) = trainees[index];
                        void Step()
                        {
                            using var scope = NewDisposeScope();
                            var x = GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: true);
                            optimizer.ZeroGrad();
                            InferenceWorkers.Run(trainPieces, piece =>
                            {
                                using var pieceScope = NewDisposeScope();
                                var (start, rows) = InferenceWorkers.Slice(batch, trainPieces, piece);
                                var loss = GlowInput.BitsPerDim(model.Evaluate(x.narrow(0, start, rows)).LogDensity, architecture.Dimensions, 784, 8).sum() / batch;
                                loss.backward();
                            });
                            optimizer.Step();
                        }

                        return batch / Seconds(Step, warmup: 1, calls: settings.Quick ? 2 : 3);
                    });
                    Report("train", batch, settings.Variants.Select(v => $"{v.Name}-workers{trainPieces}").ToArray(), piecewise);
                }

                var scorer = trainees[0].Model;
                if (!scorer.IsInitialized)
                {
                    using var scope = NewDisposeScope();
                    scorer.Evaluate(GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: true));
                }

                scorer.eval();
                if (settings.Score)
                {
                    var samples = Alternate(settings, (_, _) =>
                    {
                        void Step()
                        {
                            using var inference = inference_mode();
                            using var scope = NewDisposeScope();
                            var x = GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: false);
                            scorer.Evaluate(x).LogDensity.sum().item<float>();
                        }

                        return batch / Seconds(Step, warmup: 2, calls: settings.Quick ? 3 : 8);
                    });
                    Report("score", batch, settings.Variants.Select(v => v.Name).ToArray(), samples);

                    // The library's scoring path (GlowNetwork.Score): the batch cut into one piece per thread, scored at the
                    // same time on the inference workers with one libtorch thread each.
                    var pieces = InferenceWorkers.Pieces(batch, CPU);
                    var piecewise = Alternate(settings, (_, _) =>
                    {
                        void Step()
                        {
                            var x = GlowInput.Prepare(NextBatch(), 8, architecture.Height, architecture.Width, dequantize: false);
                            InferenceWorkers.Run(pieces, piece =>
                            {
                                using var inference = inference_mode();
                                using var scope = NewDisposeScope();
                                var (start, rows) = InferenceWorkers.Slice(batch, pieces, piece);
                                scorer.Evaluate(x.narrow(0, start, rows)).LogDensity.sum().item<float>();
                            });
                            x.Dispose();
                        }

                        return batch / Seconds(Step, warmup: 2, calls: settings.Quick ? 3 : 8);
                    });
                    Report("score", batch, settings.Variants.Select(v => $"{v.Name}-workers{pieces}").ToArray(), piecewise);
                }
            }
            finally
            {
                foreach (var (model, optimizer) in trainees)
                {
                    optimizer.Dispose();
                    model.Dispose();
                }

                new GlowVariant(true, true, false).Apply();
            }
        }
    }

    /// <summary>Runs <paramref name="measure"/> for every variant in every round, alternating the order.</summary>
    private static List<double>[] Alternate(BenchSettings settings, Func<GlowVariant, int, double> measure)
    {
        var variants = settings.Variants;
        var samples = variants.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < settings.Rounds; round++)
        {
            var order = Enumerable.Range(0, variants.Length);
            foreach (var index in round % 2 == 0 ? order : order.Reverse())
            {
                variants[index].Apply();
                samples[index].Add(measure(variants[index], index));
            }
        }

        return samples;
    }

    private static double Seconds(Action step, int warmup, int calls)
    {
        for (var i = 0; i < warmup; i++)
        {
            step();
        }

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            step();
        }

        return stopwatch.Elapsed.TotalSeconds / calls;
    }

    private static void Report(string kind, int batch, IReadOnlyList<string> names, IReadOnlyList<List<double>> samples)
    {
        for (var i = 0; i < names.Count; i++)
        {
            var sorted = samples[i].Order().ToArray();
            var median = sorted[sorted.Length / 2];
            var list = string.Join(",", samples[i].Select(s => s.ToString("F1", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"side\":\"mlnetflows\",\"kind\":\"{kind}\",\"batch\":{batch},\"layout\":\"{names[i]}\",\"images_per_s\":{median:F1},\"min\":{sorted[0]:F1},\"max\":{sorted[^1]:F1},\"samples\":[{list}]}}"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind,-6} batch {batch,4} {names[i],-20} median {median,7:F1} img/s  range {sorted[0]:F1}–{sorted[^1]:F1}"));
        }
    }
}
