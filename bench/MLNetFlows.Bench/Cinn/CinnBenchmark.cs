using System.Globalization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// Speed of the class-conditional INN on Fashion-MNIST (the first 2 048 training images and their labels): training
/// images/s of the library's training loop (<see cref="ConditionalInnTraining"/>: Adam with weight decay, noise
/// augmentation, gradient clipping) after three warm-up steps, then scoring images/s of log p(x | c) given the labels in
/// inference mode. Prints one JSON line on stdout; bench/reference/cinn_reference.py measures PyTorch on the same
/// architecture and settings.
/// </summary>
internal static class CinnBenchmark
{
    private const int Images = 2048;

    /// <summary>Usage: MLNetFlows.Bench cinn [--threads N] [--seconds S] [--batch B] [--blocks K] [--hidden H], or MLNetFlows.Bench cinn quality … (<see cref="CinnQualitySettings.Usage"/>), or MLNetFlows.Bench cinn ops … (<see cref="CinnOperationTimings"/>); returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args is ["quality", ..])
        {
            return CinnQualityBenchmark.Run(args[1..]);
        }

        if (args is ["ops", ..])
        {
            return CinnOperationTimings.Run(args[1..]);
        }

        var (threads, seconds, batch) = (1, 30.0, ConditionalInnTrainerOptions.Defaults.BatchSize);
        var (blocks, hidden) = (ConditionalInnArchitecture.Defaults.BlocksPerLevel, ConditionalInnArchitecture.Defaults.HiddenChannels);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads" when i + 1 < args.Length: threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds" when i + 1 < args.Length: seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--blocks" when i + 1 < args.Length: blocks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--hidden" when i + 1 < args.Length: hidden = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: MLNetFlows.Bench cinn [--threads N] [--seconds S] [--batch B] [--blocks K] [--hidden H]");
                    return 2;
            }
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        set_num_threads(threads);
        var (images, labels) = FashionMnist.LoadRaw(FashionMnistSplit.Train);
        using var pixels = tensor(images.Pixels[..(Images * 784)].ToArray(), [Images, 1, 28, 28]);
        using var classes = tensor(labels.AsSpan(0, Images).ToArray().Select(l => (long)l).ToArray());
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, BlocksPerLevel = blocks, HiddenChannels = hidden, BatchSize = batch,
            NumberOfEpochs = 1000, ValidationFraction = 0, MaxTrainingTime = TimeSpan.FromSeconds(seconds),
            WeightAveragingDecay = null, // the PyTorch reference takes the same steps without averaging the weights
            LatentPrior = LatentPrior.StandardNormal, // and has the paper's prior
        };
        Console.Error.WriteLine($"conditional INN on Fashion-MNIST: {Images} images, batch {batch}, {blocks} blocks × 2 levels, {hidden} hidden, {threads} threads, {seconds} s per phase");
        var (model, steps, trainPerSecond) = CinnSpeed.Train(options, o => new ConditionalInnTraining(o, 10, seed: 1, log: null).Run(pixels, classes).Model);
        using (model)
        {
            if (steps == 0)
            {
                Console.Error.WriteLine($"no training step measured in {seconds} s after the {CinnSpeed.WarmupSteps} warm-up steps: raise --seconds");
                return 1;
            }

            var scorePerSecond = CinnSpeed.Score(
                round =>
                {
                    var start = round * batch % (Images - batch);
                    var x = GlowInput.Prepare(pixels.narrow(0, start, batch).to(ScalarType.Float32), 8, 28, 28, dequantize: false);
                    return model.Evaluate(x, classes.narrow(0, start, batch)).LogDensity;
                },
                batch,
                seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"model\":\"cinn\",\"impl\":\"torchsharp\",\"threads\":{threads},\"batch\":{batch},\"blocks\":{blocks},\"hidden\":{hidden},\"train_steps\":{steps},\"train_images_per_s\":{trainPerSecond:F1},\"score_images_per_s\":{scorePerSecond:F1}}}"));
        }

        return 0;
    }
}
