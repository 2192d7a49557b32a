using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using MLNetFlows.Estimators;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Onnx;
using MLNetFlows.OnnxScoring;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Bench.Onnx;

/// <summary>
/// Glow scoring images/s, one process, the same threads for every side: TorchSharp (GlowTransformer.Transform),
/// ONNX Runtime batched (GlowOnnxTransformer.Transform, and a bare session Run on a prepared batch, which is what the
/// PyTorch reference times), and ML.NET's ApplyOnnxModel (one Run per row). The model is the bench architecture
/// (default L = 3, K = 8, h = 128 on Fashion-MNIST padded to 32×32) after one short training epoch, exported once.
/// Each figure: the median of <see cref="BenchSettings.Rounds"/> passes over the same in-memory test images after one
/// warm-up pass. One JSON line per figure (side, kind "score", batch, images_per_s).
/// </summary>
internal static class OnnxScoringBenchmark
{
    public static void Run(BenchSettings settings)
    {
        var images = settings.Quick ? 256 : 1024;
        var ml = new MLContext(0);
        var options = new GlowTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = settings.Levels, StepsPerLevel = settings.Steps, HiddenChannels = settings.Hidden,
            BatchSize = 32, NumberOfEpochs = 1, ValidationFraction = 0.25, Seed = 0, ScoringBatchSize = settings.BatchSizes.Max(),
        };
        using var model = ml.Transforms.Glow(options).Fit(ml.Data.LoadFashionMnist(FashionMnistSplit.Train, 64));
        var path = Path.Combine(Path.GetTempPath(), $"mlnetflows-bench-{Environment.ProcessId}.onnx");
        try
        {
            GlowOnnxExporter.Export(model, path);
            var data = ml.Data.Cache(ml.Data.LoadFashionMnist(FashionMnistSplit.Test, images));
            Console.Error.WriteLine($"onnx-score: L={settings.Levels} K={settings.Steps} h={settings.Hidden}, {images} images, {settings.Threads} thread(s), {settings.Rounds} rounds, {new FileInfo(path).Length} bytes of ONNX");
            Emit("torchsharp", options.ScoringBatchSize, images, Time(settings, () => Consume(model.Transform(data))));
            foreach (var batch in settings.BatchSizes)
            {
                using var scorer = GlowOnnxTransformer.Load(path, batchSize: batch, threads: settings.Threads);
                Emit("onnxruntime-batched", batch, images, Time(settings, () => Consume(scorer.Transform(data))));
                Emit("onnxruntime-run", batch, batch, BareRun(settings, path, data, batch));
            }

            using var perRow = PerRow(ml, [GlowColumns.LogLikelihood], [ImageDatasetColumns.Features], path, settings.Threads).Fit(data);
            Emit("applyonnxmodel-per-row", 1, images, Time(settings, () => Consume(perRow.Transform(data))));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// ML.NET's <c>ApplyOnnxModel</c> (one Run per row) with its ONNX Runtime session on <paramref name="threads"/> intra-op
    /// threads and one inter-op thread, as the batched scorers' sessions run (its default is ONNX Runtime's own choice).
    /// </summary>
    internal static OnnxScoringEstimator PerRow(MLContext ml, string[] outputs, string[] inputs, string path, int threads) =>
        ml.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            OutputColumns = outputs, InputColumns = inputs, ModelFile = path, GpuDeviceId = null, FallbackToCpu = false,
            IntraOpNumThreads = threads, InterOpNumThreads = 1,
        });

    /// <summary>Seconds of one session Run on a prepared batch (ONNX Runtime alone, no ML.NET), median over rounds of 5 runs each.</summary>
    private static double BareRun(BenchSettings settings, string path, IDataView data, int batch)
    {
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = settings.Threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, sessionOptions);
        var pixels = new float[batch * 784];
        var column = data.Schema[ImageDatasetColumns.Features];
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> row = default;
            for (var i = 0; i < batch && cursor.MoveNext(); i++)
            {
                getter(ref row);
                row.DenseValues().ToArray().CopyTo(pixels, i * 784);
            }
        }

        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batch, 1, 28, 28]);
        using var runOptions = new RunOptions();
        void Once()
        {
            using var outputs = session.Run(runOptions, [ImageDatasetColumns.Features], [input], [GlowColumns.LogLikelihood]);
        }

        return Time(settings, () =>
        {
            for (var i = 0; i < 5; i++)
            {
                Once();
            }
        }) / 5;
    }

    private static double Time(BenchSettings settings, Action pass) => Time(settings.Rounds, pass);

    /// <summary>Seconds of one pass: the median of <paramref name="rounds"/> timed passes after one warm-up pass.</summary>
    internal static double Time(int rounds, Action pass)
    {
        pass();
        var seconds = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            pass();
            seconds[r] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(seconds);
        return seconds[rounds / 2];
    }

    /// <summary>Reads the LogLikelihood column of every row (what makes a scorer compute).</summary>
    internal static void Consume(IDataView scored)
    {
        var column = scored.Schema[GlowColumns.LogLikelihood];
        using var cursor = scored.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
            }
        }
    }

    /// <summary>One JSON line: side, kind "score", batch, images/s, seconds.</summary>
    internal static void Emit(string side, int batch, int images, double seconds) =>
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["side"] = side,
            ["kind"] = "score",
            ["batch"] = batch,
            ["images_per_s"] = Math.Round(images / seconds, 1),
            ["seconds"] = Math.Round(seconds, 4).ToString(CultureInfo.InvariantCulture),
        }));
}
