using System.Diagnostics;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench;

/// <summary>
/// Two ways to use the machine's cores for Glow scoring, alternated round by round in one process: libtorch's intra-op
/// threads (one caller, <c>set_num_threads(T)</c>, batches one after the other) against the library's
/// <see cref="InferenceWorkers"/> (T batches at once, one libtorch thread each). Prints images/s (wall clock) per way and
/// round, and the medians.
/// </summary>
internal static class GlowScoringParallelism
{
    public static void Run(BenchSettings settings)
    {
        var batch = settings.BatchSizes[0];
        var workers = settings.Threads;
        var images = FashionMnist.LoadRaw(FashionMnistSplit.Train).Images;
        var side = GlowInput.PaddedSide(28, settings.Levels);
        var architecture = new GlowArchitecture
        {
            Channels = 1, Height = side, Width = side, Levels = settings.Levels, StepsPerLevel = settings.Steps, HiddenChannels = settings.Hidden,
        };
        manual_seed(0);
        using var model = new GlowModel(architecture);
        using var pixels = tensor(images.Pixels[..(workers * batch * 28 * 28)].ToArray(), [workers * batch, 1, 28, 28]).to(ScalarType.Float32);
        using (NewDisposeScope())
        {
            model.Evaluate(GlowInput.Prepare(pixels, 8, side, side, dequantize: true));
        }

        model.eval();
        var inputs = Enumerable.Range(0, workers).Select(w => GlowInput.Prepare(pixels.narrow(0, w * batch, batch), 8, side, side, dequantize: false)).ToArray();
        void Score(Tensor x)
        {
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            model.Evaluate(x).LogDensity.sum().item<float>();
        }

        var calls = settings.Quick ? 4 : 12;
        var intraOp = new List<double>();
        var callers = new List<double>();
        InferenceWorkers.Run(workers, w => Score(inputs[w]));
        for (var round = 0; round < settings.Rounds; round++)
        {
            Score(inputs[0]);
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < calls * workers; i++)
            {
                Score(inputs[i % workers]);
            }

            intraOp.Add(calls * workers * batch / stopwatch.Elapsed.TotalSeconds);
            stopwatch.Restart();
            for (var i = 0; i < calls; i++)
            {
                InferenceWorkers.Run(workers, w => Score(inputs[w]));
            }

            callers.Add(calls * workers * batch / stopwatch.Elapsed.TotalSeconds);
            Console.Error.WriteLine($"round {round}: intra-op {intraOp[^1]:F1} img/s, {workers} workers {callers[^1]:F1} img/s");
        }

        foreach (var input in inputs)
        {
            input.Dispose();
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine(FormattableString.Invariant($"{{\"side\":\"mlnetflows\",\"kind\":\"score\",\"batch\":{batch},\"layout\":\"intra-op-{workers}\",\"images_per_s\":{Median(intraOp):F1}}}"));
        Console.WriteLine(FormattableString.Invariant($"{{\"side\":\"mlnetflows\",\"kind\":\"score\",\"batch\":{batch},\"layout\":\"workers-{workers}\",\"images_per_s\":{Median(callers):F1}}}"));
    }
}
