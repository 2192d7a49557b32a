using System.Globalization;
using System.Runtime.InteropServices;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// Speed of the colorization conditional INN on the 32 × 32 training patches of the wallpaper photographs, with the
/// settings of <see cref="ColorizationBenchmark"/> (L = 3 levels × 4 blocks, 64 hidden, 16 condition features, batch 64):
/// training images/s of the library's training loop (<see cref="ConditionalInnTraining"/>: dequantisation, noise
/// augmentation, Adam with weight decay, gradient clipping) after three warm-up steps, then scoring images/s of
/// log p(chroma | lightness) at the bin centres in inference mode. Prints one JSON line on stdout;
/// bench/reference/cinn_colorization_reference.py measures PyTorch on the same architecture and settings
/// (<c>--write-patches FILE</c> writes the patches for its <c>--patches FILE</c>).
/// </summary>
internal static class ColorizationSpeedBenchmark
{
    public const string Usage = "MLNetFlows.Bench colorize speed [--threads N] [--seconds S] [--batch B] [--levels L] [--blocks K] [--hidden H] [--condition-features F] [--write-patches FILE]";

    private const int Side = ColorPatches.DefaultPatchSize;

    public static int Run(string[] args)
    {
        var (threads, seconds, batch, levels) = (1, 30.0, ConditionalInnTrainerOptions.Defaults.BatchSize, 3);
        var (blocks, hidden, features) = (ConditionalInnArchitecture.Defaults.BlocksPerLevel, ConditionalInnArchitecture.Defaults.HiddenChannels, ConditionalInnArchitecture.Defaults.ConditionFeatureChannels);
        string? patchFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads" when i + 1 < args.Length: threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds" when i + 1 < args.Length: seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--levels" when i + 1 < args.Length: levels = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--blocks" when i + 1 < args.Length: blocks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--hidden" when i + 1 < args.Length: hidden = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--condition-features" when i + 1 < args.Length: features = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--write-patches" when i + 1 < args.Length: patchFile = args[++i]; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: {Usage}");
                    return 2;
            }
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        set_num_threads(threads);
        var (luma, chroma, count) = ReadPatches(patchFile);
        using var gray = tensor(luma, [count, 1, Side, Side]);
        using var colour = tensor(chroma.Select(v => (byte)MathF.Round(v)).ToArray(), [count, 2, Side, Side], ScalarType.Byte);
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = Side, ImageWidth = Side, Channels = 2, Condition = ConditionKind.Image, ConditionImageChannels = 1, ConditionFeatureChannels = features,
            Levels = levels, BlocksPerLevel = blocks, HiddenChannels = hidden, BatchSize = batch,
            NumberOfEpochs = 100_000, ValidationFraction = 0, MaxTrainingTime = TimeSpan.FromSeconds(seconds),
            WeightAveragingDecay = null, // the PyTorch reference takes the same steps without averaging the weights
        };
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"colorization INN speed: {count} training patches, batch {batch}, {levels} levels × {blocks} blocks, {hidden} hidden, {features} condition features, {threads} thread(s), {seconds} s per phase"));
        var (model, steps, trainPerSecond) = CinnSpeed.Train(options, o => new ConditionalInnTraining(o, 0, seed: 1, log: null).Run(colour, gray).Model);
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
                    var start = round * batch % (count - batch);
                    var x = GlowInput.Prepare(colour.narrow(0, start, batch).to(ScalarType.Float32), 8, Side, Side, dequantize: false);
                    return model.Evaluate(x, ImageConditionInput.Prepare(gray.narrow(0, start, batch), Side, Side)).LogDensity;
                },
                batch,
                seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"model\":\"cinn-colorization\",\"impl\":\"torchsharp\",\"threads\":{threads},\"batch\":{batch},\"levels\":{levels},\"blocks\":{blocks},\"hidden\":{hidden},\"condition_features\":{features},\"patches\":{count},\"train_steps\":{steps},\"train_images_per_s\":{trainPerSecond:F1},\"score_images_per_s\":{scorePerSecond:F1}}}"));
        }

        return 0;
    }

    /// <summary>The training patches' lightness and chroma (planar, [0, 255]); with a path, also written there as float32 [N, 3, 32, 32] (Y, Cb, Cr).</summary>
    private static (float[] Luma, float[] Chroma, int Count) ReadPatches(string? path)
    {
        var patches = ColorPatches.LoadWallpapers(ColorPatchSplit.Train);
        var plane = Side * Side;
        var (luma, chroma) = (new float[patches.Count * plane], new float[patches.Count * 2 * plane]);
        var rgb = new float[3 * plane];
        for (var i = 0; i < patches.Count; i++)
        {
            var bytes = patches.GetRgb(i).Span;
            for (var v = 0; v < rgb.Length; v++)
            {
                rgb[v] = bytes[v];
            }

            YCbCrColor.FromRgb(rgb, luma.AsSpan(i * plane, plane), chroma.AsSpan(i * 2 * plane, 2 * plane));
        }

        if (path is not null)
        {
            var file = new float[patches.Count * 3 * plane];
            for (var i = 0; i < patches.Count; i++)
            {
                luma.AsSpan(i * plane, plane).CopyTo(file.AsSpan(i * 3 * plane));
                chroma.AsSpan(i * 2 * plane, 2 * plane).CopyTo(file.AsSpan((i * 3 * plane) + plane));
            }

            File.WriteAllBytes(path, MemoryMarshal.AsBytes(file.AsSpan()).ToArray());
        }

        return (luma, chroma, patches.Count);
    }
}
