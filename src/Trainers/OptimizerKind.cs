namespace MLNetFlows.Trainers;

/// <summary>The optimizer a trainer uses.</summary>
public enum OptimizerKind
{
    /// <summary>Adamax (openai/glow's default).</summary>
    Adamax,

    /// <summary>Adam.</summary>
    Adam,
}
