using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;
using TorchSharp;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// Scores the Fashion-MNIST test set with a saved detector in a loop (a fresh <c>Transform</c> and cursor per pass, as a
/// batch job does per input) and samples the process's resident set and TorchSharp's live-tensor count
/// (<see cref="torch.Tensor.TotalCount"/>, process-wide) at a fixed interval.
/// </summary>
internal static class Soak
{
    /// <summary>
    /// Runs for <paramref name="minutes"/> with <paramref name="threads"/> libtorch threads and reports each sample through <paramref name="log"/>. Flat when, after the
    /// first minute of warm-up (or the first third of a shorter run), RSS stays within ±5 % of its post-warm-up mean and
    /// the live-tensor count never rises.
    /// </summary>
    public static (bool Flat, IReadOnlyList<Sample> Samples) Run(double minutes, string modelPath, int threads, TimeSpan interval, Action<string> log)
    {
        // 'mlnetflows score' runs libtorch on every core by default (batches of 32+ rows are then split over inference workers).
        torch.set_num_threads(threads);
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();
        var model = ml.Model.Load(modelPath, out _);
        var data = ml.Data.LoadFashionMnist(FashionMnistSplit.Test);
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromMinutes(minutes);
        long images = 0;
        var next = TimeSpan.Zero;
        try
        {
            while (clock.Elapsed < duration)
            {
                var scored = model.Transform(data);
                using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
                var score = cursor.GetGetter<float>(scored.Schema["Score"]);
                float value = 0;
                while (cursor.MoveNext() && clock.Elapsed < duration)
                {
                    score(ref value);
                    images++;
                    if (clock.Elapsed >= next)
                    {
                        var sample = Take(clock.Elapsed, images);
                        samples.Add(sample);
                        log(sample.ToString());
                        next += interval;
                    }
                }
            }

            var last = Take(clock.Elapsed, images);
            samples.Add(last);
            log(last.ToString());
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }

        var final = samples[^1];
        var warm = samples.Where(s => s.Elapsed >= TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, duration.Ticks / 3))).ToArray();
        var mean = warm.Average(s => (double)s.ResidentBytes);
        var rssFlat = warm.All(s => Math.Abs(s.ResidentBytes - mean) <= 0.05 * mean);
        var tensorsFlat = warm.All(s => s.LiveTensors <= warm[0].LiveTensors);
        log(string.Create(CultureInfo.InvariantCulture,
            $"RSS MB first/last/max: {samples[0].ResidentBytes / 1048576.0:F1}/{final.ResidentBytes / 1048576.0:F1}/{samples.Max(s => s.ResidentBytes) / 1048576.0:F1}; after warm-up mean {mean / 1048576.0:F1}, within ±5 %: {rssFlat}"));
        log($"live tensors first/last/max: {samples[0].LiveTensors}/{final.LiveTensors}/{samples.Max(s => s.LiveTensors)}; never rising after warm-up: {tensorsFlat}");
        log(string.Create(CultureInfo.InvariantCulture, $"{images} images scored in {clock.Elapsed.TotalMinutes:F1} min ({images / clock.Elapsed.TotalSeconds:F0} images/s)"));
        return (rssFlat && tensorsFlat, samples);
    }

    private static Sample Take(TimeSpan elapsed, long images)
    {
        using var process = Process.GetCurrentProcess();
        return new Sample(elapsed, images, process.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, torch.Tensor.TotalCount);
    }

    /// <summary>One sample: time, images scored so far, resident set, managed heap after the last collection, live tensors.</summary>
    internal sealed record Sample(TimeSpan Elapsed, long Images, long ResidentBytes, long ManagedHeapBytes, long LiveTensors)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"t={Elapsed.TotalSeconds,6:F0} s  images={Images,9}  rss={ResidentBytes / 1048576.0,8:F1} MB  managed heap={ManagedHeapBytes / 1048576.0,7:F1} MB  live tensors={LiveTensors}");
    }
}
