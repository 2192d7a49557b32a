using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Optim;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli;

/// <summary>
/// `mlnetflows demo`: trains a small convolutional classifier on the built-in Fashion-MNIST (Debian's
/// dataset-fashion-mnist) with the libtorch binding and prints its loss curve and test accuracy. It exercises the
/// whole stack (native shim, autograd, modules, Adam, dispose scopes) until the Glow demo replaces it.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 400 };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = $"Folder with the Fashion-MNIST IDX files (default {FashionMnist.DefaultDirectory})." };
        var command = new Command("demo", "Train a small classifier on Fashion-MNIST and print its loss curve and test accuracy.")
        {
            steps, batchSize, threads, seed, data,
        };
        command.SetAction(result => Run(result.GetValue(steps), result.GetValue(batchSize), result.GetValue(threads), result.GetValue(seed), result.GetValue(data)));
        return command;
    }

    private static int Run(int steps, int batchSize, int threads, int seed, string? directory)
    {
        if (steps < 1 || batchSize < 1 || threads < 1)
        {
            throw new ArgumentException($"--steps, --batch-size and --threads must be positive, got {steps}, {batchSize}, {threads}");
        }

        TorchRuntime.NumThreads = threads;
        TorchRuntime.SetFlushDenormal(true);
        TorchRuntime.ManualSeed((ulong)seed);
        var (trainImages, trainLabels) = FashionMnist.LoadRaw(train: true, directory);
        var (testImages, testLabels) = FashionMnist.LoadRaw(train: false, directory);
        Console.WriteLine($"libtorch {TorchRuntime.Version}, {threads} threads; Fashion-MNIST: {trainImages.Count} train / {testImages.Count} test images of {trainImages.Height}x{trainImages.Width}");

        using var train = ImagesTensor(trainImages);
        using var trainY = LabelsTensor(trainLabels);
        using var model = Classifier();
        using var optimizer = new Adam(model.Parameters(), 1e-3);
        var stopwatch = Stopwatch.StartNew();
        var window = new List<double>();
        Console.WriteLine("step   loss (mean of the last 25 steps)");
        for (var step = 1; step <= steps; step++)
        {
            using var scope = DisposeScope.Enter();
            var index = Tensor.RandInt(0, trainImages.Count, [batchSize]);
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(train.IndexSelect(0, index)), trainY.IndexSelect(0, index));
            loss.Backward();
            optimizer.Step();
            window.Add(loss.Item());
            if (step % 25 == 0 || step == steps)
            {
                var mean = window.Average();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step,5}  {mean:F4}  {new string('#', (int)Math.Round(mean * 20))}"));
                window.Clear();
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var accuracy = Accuracy(model, testImages, testLabels);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {steps} steps in {seconds:F1} s ({steps * batchSize / seconds:F0} images/s); test accuracy {accuracy:P2} on {testImages.Count} images"));
        return 0;
    }

    private static Sequential Classifier() => new(
        new Conv2d(1, 16, 3, stride: 2, padding: 1),
        new BatchNorm2d(16),
        new ReLU(),
        new Conv2d(16, 32, 3, stride: 2, padding: 1),
        new BatchNorm2d(32),
        new ReLU(),
        new Flatten(),
        new Linear(32 * 7 * 7, 10));

    private static Tensor ImagesTensor(IdxImages images)
    {
        using var bytes = Tensor.FromSpan(images.Pixels.Span, [images.Count, 1, images.Height, images.Width]);
        using var floats = bytes.To(DType.Float32);
        using var scaled = floats / 255.0;
        return scaled - 0.5;
    }

    private static Tensor LabelsTensor(byte[] labels)
    {
        using var bytes = Tensor.FromArray(labels);
        return bytes.To(DType.Int64);
    }

    private static double Accuracy(Sequential model, IdxImages images, byte[] labels)
    {
        model.Eval();
        using var inference = Autograd.InferenceMode();
        using var scope = DisposeScope.Enter();
        var x = ImagesTensor(images);
        var y = LabelsTensor(labels);
        var correct = 0L;
        const int Batch = 1000;
        for (var start = 0; start < images.Count; start += Batch)
        {
            var length = Math.Min(Batch, images.Count - start);
            var predicted = model.Forward(x.Narrow(0, start, length)).ArgMax(1);
            correct += (long)predicted.Eq(y.Narrow(0, start, length)).Sum().Item();
        }

        return (double)correct / images.Count;
    }
}
