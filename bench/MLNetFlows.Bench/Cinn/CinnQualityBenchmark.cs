using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// Quality of the class-conditional INN on Fashion-MNIST (issue 10's figures): trains the library's loop
/// (<see cref="ConditionalInnTraining"/>, the trainer's defaults unless overridden) on the 60 000 training images for a
/// wall-clock budget, then reports (1) the test conditional bits/dim per 784 pixels under uniform dequantisation,
/// (2) the Bayes-classifier test accuracy argmax_c [log p(x | c) + log p(c)] at the bin centres, (3) the accuracy of an
/// independent CNN (<see cref="JudgeClassifier"/>, trained here on the training set; its own test accuracy is
/// reported) on N samples per class at each temperature, and (4) per-class sample diversity against real test images
/// (<see cref="SampleDiversity"/>). With Polyak averaging (the trainer's default) the figures are of the averaged weights,
/// and (1) and (2) are repeated with the raw weights of the same run (read back from its last checkpoint, written at the
/// end of its last epoch), so the averaging's effect is measured within one run. Prints progress on stderr and one JSON line on stdout.
/// </summary>
internal static class CinnQualityBenchmark
{
    private const int Classes = 10;
    private const int Side = 28;
    private const int ScoringBatch = 64;

    /// <summary>Usage: see <see cref="Usage"/>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var settings = new CinnQualitySettings();
        if (!settings.Parse(args, out var error))
        {
            Console.Error.WriteLine($"{error}; usage: {CinnQualitySettings.Usage}");
            return 2;
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        set_num_threads(settings.Threads);
        var total = Stopwatch.StartNew();
        var (trainPixels, trainLabels) = Load(FashionMnistSplit.Train, int.MaxValue);
        var (testPixels, testLabels) = Load(FashionMnistSplit.Test, int.MaxValue);
        using var trainPixelTensor = trainPixels;
        using var trainLabelTensor = trainLabels;
        using var testPixelTensor = testPixels;
        using var testLabelTensor = testLabels;

        var options = settings.TrainerOptions();
        var checkpoints = options.WeightAveragingDecay is null ? null : Directory.CreateTempSubdirectory("cinn-quality-");
        options.CheckpointDirectory = checkpoints?.FullName;
        options.CheckpointEverySteps = int.MaxValue;
        Log($"conditional INN quality on Fashion-MNIST: {options.Levels} levels × {options.BlocksPerLevel} blocks, {options.HiddenChannels} hidden, {options.ClassEncoding}, {options.ChosenLatentPrior} prior, lr {options.LearningRate}, weight decay {options.WeightDecay}, noise {options.NoiseStandardDeviation}, batch {options.BatchSize}, {settings.Minutes} min, {settings.Threads} thread(s)");
        long steps = 0;
        options.StepCallback = step => steps = step.Step;
        var training = new ConditionalInnTraining(options, Classes, settings.Seed, Log);
        var trainClock = Stopwatch.StartNew();
        var (model, _) = training.Run(trainPixelTensor, trainLabelTensor);
        trainClock.Stop();
        using (model)
        {
            var imagesSeen = steps * options.BatchSize;
            Log(string.Create(CultureInfo.InvariantCulture, $"trained {steps} steps ({imagesSeen} images, {imagesSeen / trainClock.Elapsed.TotalSeconds:F1} images/s)"));
            var evaluated = (int)Math.Min(settings.TestImages, testPixelTensor.size(0));
            using var evalPixels = testPixelTensor.narrow(0, 0, evaluated);
            using var evalLabels = testLabelTensor.narrow(0, 0, evaluated);
            var bitsPerDim = training.Evaluate(model, evalPixels, evalLabels);
            Log(string.Create(CultureInfo.InvariantCulture, $"test conditional bits/dim {bitsPerDim:F4} ({evaluated} images, uniform dequantisation)"));
            var bayes = BayesAccuracy(model, evalPixels, evalLabels, LogPriors(trainLabelTensor));
            Log(string.Create(CultureInfo.InvariantCulture, $"Bayes-classifier test accuracy {bayes:F4} ({evaluated} images)"));

            var json = string.Create(CultureInfo.InvariantCulture,
                $"{{\"model\":\"cinn\",\"bench\":\"quality\",\"threads\":{settings.Threads},\"minutes\":{settings.Minutes},\"steps\":{steps},\"images_seen\":{imagesSeen},\"hidden\":{options.HiddenChannels},\"blocks\":{options.BlocksPerLevel},\"encoding\":\"{options.ClassEncoding}\",\"prior\":\"{options.ChosenLatentPrior}\",\"lr\":{options.LearningRate},\"schedule\":\"{options.LearningRateSchedule}\",\"warmup\":{options.WarmupSteps},\"epochs\":{options.NumberOfEpochs},\"weight_decay\":{options.WeightDecay},\"noise\":{options.NoiseStandardDeviation},\"test_images\":{evaluated},\"test_bits_per_dim\":{bitsPerDim:F4},\"bayes_accuracy\":{bayes:F4}");
            if (settings.SamplesPerClass > 0)
            {
                json += JudgeSamples(model, settings, trainPixelTensor, trainLabelTensor, testPixelTensor, testLabelTensor);
            }

            if (checkpoints is not null)
            {
                ConditionalInnCheckpoint.LoadTrainedWeights(checkpoints.FullName, model);
                var rawBitsPerDim = training.Evaluate(model, evalPixels, evalLabels);
                var rawBayes = BayesAccuracy(model, evalPixels, evalLabels, LogPriors(trainLabelTensor));
                Log(string.Create(CultureInfo.InvariantCulture, $"raw (not averaged) weights of the same run: test conditional bits/dim {rawBitsPerDim:F4}, Bayes-classifier test accuracy {rawBayes:F4}"));
                json += string.Create(CultureInfo.InvariantCulture, $",\"weight_averaging\":{options.WeightAveragingDecay},\"raw_test_bits_per_dim\":{rawBitsPerDim:F4},\"raw_bayes_accuracy\":{rawBayes:F4}");
                checkpoints.Delete(recursive: true);
            }

            Console.WriteLine(json + string.Create(CultureInfo.InvariantCulture, $",\"total_seconds\":{total.Elapsed.TotalSeconds:F0}}}"));
        }

        return 0;
    }

    private static string JudgeSamples(ConditionalInnModel model, CinnQualitySettings settings, Tensor trainPixels, Tensor trainLabels, Tensor testPixels, Tensor testLabels)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        manual_seed(settings.Seed).Dispose();
        using var classifier = new JudgeClassifier();
        classifier.Fit(trainPixels.to(ScalarType.Float32), trainLabels, settings.ClassifierEpochs, batchSize: 128, settings.Seed, Log);
        var testFloat = testPixels.to(ScalarType.Float32);
        var classifierAccuracy = Accuracy(classifier.Predict(testFloat), testLabels.data<long>().ToArray());
        Log(string.Create(CultureInfo.InvariantCulture, $"independent classifier: test accuracy {classifierAccuracy:F4} after {settings.ClassifierEpochs} epochs ({clock.Elapsed.TotalSeconds:F0} s)"));

        var realDiversity = new double[Classes];
        var labels = testLabels.data<long>().ToArray();
        for (var c = 0; c < Classes; c++)
        {
            var rows = tensor(Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Select(i => (long)i).ToArray());
            realDiversity[c] = SampleDiversity.MeanPairwiseDistance(testFloat.index_select(0, rows));
        }

        var json = string.Create(CultureInfo.InvariantCulture, $",\"classifier_test_accuracy\":{classifierAccuracy:F4},\"samples_per_class\":{settings.SamplesPerClass}");
        foreach (var temperature in settings.Temperatures)
        {
            var correct = 0L;
            var ratios = new double[Classes];
            for (var c = 0; c < Classes; c++)
            {
                using var classScope = NewDisposeScope();
                var samples = Sample(model, c, settings.SamplesPerClass, temperature, SeedFor(settings.Seed, c, temperature));
                correct += classifier.Predict(samples).Count(p => p == c);
                ratios[c] = SampleDiversity.MeanPairwiseDistance(samples) / realDiversity[c];
            }

            var accuracy = correct / (double)(Classes * settings.SamplesPerClass);
            Log(string.Create(CultureInfo.InvariantCulture,
                $"temperature {temperature}: classifier accuracy on samples {accuracy:F4}; diversity samples/real per class {string.Join(" ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} (mean {ratios.Average():F3})"));
            var key = temperature.ToString("0.0##", CultureInfo.InvariantCulture).Replace('.', '_');
            json += string.Create(CultureInfo.InvariantCulture,
                $",\"sample_accuracy_t{key}\":{accuracy:F4},\"diversity_ratio_t{key}\":{ratios.Average():F3},\"diversity_ratio_min_t{key}\":{ratios.Min():F3}");
        }

        json += string.Create(CultureInfo.InvariantCulture, $",\"real_diversity_mean\":{realDiversity.Average():F3}");
        return json;
    }

    /// <summary>Pixels in [0, 255] (Float32 [count, 1, 28, 28]) of <paramref name="count"/> samples of class <paramref name="classIndex"/>.</summary>
    private static Tensor Sample(ConditionalInnModel model, int classIndex, int count, double temperature, long seed)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        manual_seed(seed).Dispose();
        var parts = new List<Tensor>();
        for (var done = 0; done < count; done += 250)
        {
            var length = Math.Min(250, count - done);
            var output = model.Sample(full(length, classIndex, ScalarType.Int64), temperature);
            parts.Add(GlowInput.ToPixels(output, 8, Side, Side));
        }

        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    private static long SeedFor(int seed, int classIndex, double temperature) =>
        (seed * 1_000_003L) + (classIndex * 1_009L) + (long)Math.Round(temperature * 1000);

    private static double BayesAccuracy(ConditionalInnModel model, Tensor pixels, Tensor labels, double[] logPriors)
    {
        using var inference = inference_mode();
        using var priors = tensor(logPriors, [1, Classes], ScalarType.Float64);
        var truth = labels.data<long>().ToArray();
        var correct = 0;
        for (var start = 0; start < truth.Length; start += ScoringBatch)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(ScoringBatch, truth.Length - start);
            var x = GlowInput.Prepare(pixels.narrow(0, start, length).to(ScalarType.Float32), 8, Side, Side, dequantize: false);
            var predicted = (model.LogDensityPerClass(x).to(ScalarType.Float64) + priors).argmax(1).data<long>().ToArray();
            correct += predicted.Where((p, i) => p == truth[start + i]).Count();
        }

        return correct / (double)truth.Length;
    }

    private static double[] LogPriors(Tensor labels)
    {
        var counts = new double[Classes];
        foreach (var label in labels.data<long>())
        {
            counts[label]++;
        }

        var total = counts.Sum();
        return [.. counts.Select(n => Math.Log((n + 1) / (total + Classes)))];
    }

    private static double Accuracy(long[] predicted, long[] truth) => predicted.Where((p, i) => p == truth[i]).Count() / (double)truth.Length;

    private static (Tensor Pixels, Tensor Labels) Load(FashionMnistSplit split, int limit)
    {
        var (images, labels) = FashionMnist.LoadRaw(split);
        var count = Math.Min(limit, images.Count);
        var pixels = tensor(images.Pixels[..(count * Side * Side)].ToArray(), [count, 1, Side, Side]);
        var classes = tensor(labels.AsSpan(0, count).ToArray().Select(l => (long)l).ToArray());
        return (pixels, classes);
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
