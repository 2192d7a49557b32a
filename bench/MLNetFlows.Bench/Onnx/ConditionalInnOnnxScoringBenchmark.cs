using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Onnx;
using MLNetFlows.OnnxScoring;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.Onnx;

/// <summary>
/// Class-conditional INN scoring images/s (log p(x | label), the posterior over every class and the MAP class), one
/// process, the same threads for every side: TorchSharp (ConditionalInnTransformer.Transform), ONNX Runtime batched
/// (ConditionalInnOnnxTransformer.Transform, per batch size) and ML.NET's ApplyOnnxModel (one Run per row, the label
/// key turned into the one-hot Condition by MapKeyToVector). The model is the default cINN architecture (L = 2, 4 blocks
/// per level, hidden 64, Haar, one-hot classes) after one short training epoch, exported once. Each figure: the median of
/// the rounds over the same in-memory Fashion-MNIST test images after one warm-up pass; one JSON line per figure.
/// Usage: <c>onnx-score-cinn [--threads N] [--quick] [--batch-sizes 32,64] [--rounds R] [--blocks K] [--hidden H]</c>.
/// </summary>
internal static class ConditionalInnOnnxScoringBenchmark
{
    public static int Run(string[] args)
    {
        var (threads, quick, rounds, batchSizes) = (2, false, 3, new[] { 64 });
        var (blocks, hidden) = (ConditionalInnArchitecture.Defaults.BlocksPerLevel, ConditionalInnArchitecture.Defaults.HiddenChannels);
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--threads" when i + 1 < args.Length: threads = Next(); break;
                case "--quick": quick = true; break;
                case "--rounds" when i + 1 < args.Length: rounds = Next(); break;
                case "--blocks" when i + 1 < args.Length: blocks = Next(); break;
                case "--hidden" when i + 1 < args.Length: hidden = Next(); break;
                case "--batch-sizes" when i + 1 < args.Length: batchSizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: MLNetFlows.Bench onnx-score-cinn [--threads N] [--quick] [--batch-sizes 32,64] [--rounds R] [--blocks K] [--hidden H]");
                    return 2;
            }
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        set_num_threads(threads);
        var images = quick ? 256 : 1024;
        var ml = new MLContext(0);
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, NumberOfClasses = 10, BlocksPerLevel = blocks, HiddenChannels = hidden,
            BatchSize = 32, NumberOfEpochs = 1, ValidationFraction = 0, Seed = 0, ScoringBatchSize = batchSizes.Max(),
        };
        using var model = ml.Transforms.ConditionalInn(options).Fit(ml.Data.LoadFashionMnist(FashionMnistSplit.Train, 64));
        var path = Path.Combine(Path.GetTempPath(), $"mlnetflows-bench-cinn-{Environment.ProcessId}.onnx");
        try
        {
            ConditionalInnOnnxExporter.Export(model, path);
            var data = ml.Data.Cache(ml.Data.LoadFashionMnist(FashionMnistSplit.Test, images));
            Console.Error.WriteLine($"onnx-score-cinn: L={options.Levels} K={blocks} h={hidden}, {images} images, {threads} thread(s), {rounds} rounds, {new FileInfo(path).Length} bytes of ONNX");
            OnnxScoringBenchmark.Emit("torchsharp-cinn", options.ScoringBatchSize, images, OnnxScoringBenchmark.Time(rounds, () => OnnxScoringBenchmark.Consume(model.Transform(data))));
            foreach (var batch in batchSizes)
            {
                using var scorer = ConditionalInnOnnxTransformer.Load(path, batchSize: batch, threads: threads);
                OnnxScoringBenchmark.Emit("onnxruntime-batched-cinn", batch, images, OnnxScoringBenchmark.Time(rounds, () => OnnxScoringBenchmark.Consume(scorer.Transform(data))));
            }

            var perRow = ml.Transforms.Conversion.MapKeyToVector(ConditionalInnOnnxNames.Condition, "Label")
                .Append(OnnxScoringBenchmark.PerRow(ml, [ConditionalInnOnnxNames.LogLikelihood], [ImageDatasetColumns.Features, ConditionalInnOnnxNames.Condition], path, threads))
                .Fit(data);
            OnnxScoringBenchmark.Emit("applyonnxmodel-per-row-cinn", 1, images, OnnxScoringBenchmark.Time(rounds, () => OnnxScoringBenchmark.Consume(perRow.Transform(data))));
            (perRow.LastTransformer as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(path);
        }

        return 0;
    }
}
