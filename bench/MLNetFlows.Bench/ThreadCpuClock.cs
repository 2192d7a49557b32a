using System.Runtime.InteropServices;

namespace MLNetFlows.Bench;

/// <summary>
/// The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID). With one libtorch thread the ops run on the calling thread,
/// so other processes on the machine change these times far less than wall-clock time.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>The calling thread's CPU time in seconds.</summary>
    public static double Seconds()
    {
        if (clock_gettime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed (errno {Marshal.GetLastPInvokeError()})");
        }

        return time.Seconds + (time.Nanoseconds * 1e-9);
    }

    /// <summary>Median thread CPU microseconds of one call over 7 repeats of enough calls to last ~50 ms, after warm-up.</summary>
    public static double Microseconds(Action operation)
    {
        for (var i = 0; i < 3; i++)
        {
            operation();
        }

        var start = Seconds();
        operation();
        var calls = Math.Clamp((int)(0.05 / Math.Max(Seconds() - start, 1e-6)), 1, 1000);
        var samples = new double[7];
        for (var r = 0; r < samples.Length; r++)
        {
            start = Seconds();
            for (var i = 0; i < calls; i++)
            {
                operation();
            }

            samples[r] = (Seconds() - start) * 1e6 / calls;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct TimeSpec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }
}
