using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Faults;

/// <summary>
/// A few <c>kill -9</c>s of a tiny training run with a checkpoint every step (bench/reliability/kill-resume.sh runs
/// many): the checkpoint is never torn, no model file appears before a run has saved its finished model, and the resumed
/// run reaches the uninterrupted run's weights exactly.
/// </summary>
public sealed class KillResumeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void KilledRunsResumeFromCompleteCheckpointsToTheUninterruptedWeights()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reference = KillResume.Reference(_directory.Path);
        var uninterrupted = clock.Elapsed;
        var trialDirectory = Directory.CreateDirectory(_directory.File("trial")).FullName;

        // Delays relative to this machine's uninterrupted run, so the first kill lands mid-run however fast it is (a resumed
        // run is shorter: later kills may find it finished).
        var trial = KillResume.Run(trialDirectory, kills: 3, new Random(7), uninterrupted * 0.3, uninterrupted * 0.6, reference);

        output.WriteLine($"{trial.Kills} kills, {trial.KillsDuringCheckpointWrite} during a checkpoint write, {trial.LeftoverTemporaries} temporary files left");
        Assert.Empty(trial.Problems);
        Assert.True(trial.Kills >= 1, $"no kill landed before the run finished (uninterrupted run: {uninterrupted.TotalSeconds:F1} s)");
        Assert.True(trial.Weights.AsSpan().SequenceEqual(reference), "the resumed model's weights differ from the uninterrupted run's");
    }
}
