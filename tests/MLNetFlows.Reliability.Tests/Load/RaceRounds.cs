using System.Diagnostics;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// Runs the same work on <see cref="Threads"/> threads released at once, round after round, under <see cref="GcPressure"/>,
/// until a round count or a time budget is reached; every result is compared with a single-thread reference.
/// </summary>
internal static class RaceRounds
{
    public const int Threads = 4;

    /// <summary>
    /// Runs rounds of <paramref name="work"/> on <see cref="Threads"/> threads each until <paramref name="rounds"/> rounds
    /// have run or <paramref name="budget"/> has passed (at least one round), with garbage collections forced in a loop
    /// on a side thread; asserts every result equals <paramref name="reference"/>. Returns the rounds run and the forced collections.
    /// </summary>
    public static (int Rounds, long Collections) Check<T>(T reference, Func<T> work, int rounds, TimeSpan budget, Action<T, T> assertEqual)
    {
        var clock = Stopwatch.StartNew();
        using var pressure = new GcPressure();
        var round = 0;
        while (round == 0 || (round < rounds && clock.Elapsed < budget))
        {
            foreach (var result in OnThreads(work))
            {
                assertEqual(reference, result);
            }

            round++;
        }

        return (round, pressure.Collections);
    }

    /// <summary>Runs <paramref name="work"/> on <see cref="Threads"/> threads released at once; rethrows the first failure.</summary>
    public static T[] OnThreads<T>(Func<T> work)
    {
        using var start = new Barrier(Threads);
        var tasks = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return work();
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromMinutes(2)), "the threads did not finish in 2 minutes (deadlock?)");
        return [.. tasks.Select(t => t.Result)];
    }
}
