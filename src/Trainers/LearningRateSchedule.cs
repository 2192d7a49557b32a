namespace MLNetFlows.Trainers;

/// <summary>How the learning rate moves after the linear warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>The peak learning rate until the end (openai/glow).</summary>
    Constant,

    /// <summary>
    /// Half a cosine from the peak down to 0 at the last planned step (Loshchilov &amp; Hutter 2017, without restarts).
    /// The plan is epochs × batches per epoch; a run stopped early by a time budget ends part-way down.
    /// </summary>
    Cosine,
}

/// <summary>The learning rate of one step under a warm-up and a <see cref="LearningRateSchedule"/>.</summary>
public static class LearningRateSchedules
{
    /// <summary>
    /// The learning rate of 1-based <paramref name="step"/>: linear from 0 to <paramref name="peak"/> over
    /// <paramref name="warmupSteps"/>, then as <paramref name="schedule"/> says until <paramref name="totalSteps"/>.
    /// </summary>
    public static double At(this LearningRateSchedule schedule, long step, long totalSteps, int warmupSteps, double peak)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        if (step <= warmupSteps)
        {
            return peak * step / warmupSteps;
        }

        if (schedule == LearningRateSchedule.Constant || totalSteps <= warmupSteps)
        {
            return peak;
        }

        var progress = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
