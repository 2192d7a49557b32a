namespace MLNetFlows.Trainers.InfoGan;

/// <summary>What InfoGAN training does when a mode collapse persists (see <see cref="InfoGanTrainerOptions.ModeCollapsePatience"/>).</summary>
public enum ModeCollapseAction
{
    /// <summary>Log a warning naming the signal and what to change, and train on.</summary>
    Warn,

    /// <summary>Stop with an <see cref="InfoGanModeCollapseException"/> naming the signal and what to change (after writing a checkpoint when checkpoints are on).</summary>
    Stop,
}
