using System.Diagnostics;
using System.Globalization;

namespace MLNetFlows.Bench;

/// <summary>Times an operation the way bench/reference/ops_bench.py does: warm-up, then the median of timed loops.</summary>
internal static class Timing
{
    /// <summary>Median microseconds per call over <paramref name="repeats"/> loops of <paramref name="calls"/> calls.</summary>
    public static double MicrosecondsPerCall(Action operation, int calls, int repeats, int warmupCalls)
    {
        for (var i = 0; i < warmupCalls; i++)
        {
            operation();
        }

        var samples = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                operation();
            }

            samples[r] = stopwatch.Elapsed.TotalMicroseconds / calls;
        }

        Array.Sort(samples);
        return samples[repeats / 2];
    }

    public static void Report(string op, double microsecondsPerCall, int calls) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"side\":\"mlnetflows\",\"op\":\"{op}\",\"us_per_call\":{microsecondsPerCall:F3},\"calls\":{calls}}}"));

    public static void ReportValue(string op, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"side\":\"mlnetflows\",\"op\":\"{op}\",\"value\":{value:F3}}}"));
}
