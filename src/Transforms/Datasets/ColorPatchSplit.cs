namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// Which photographs' patches a colour patch set holds. The split is by photograph, never by patch: with the photographs
/// sorted by name, every fifth one starting from the third (index i with i mod 5 = 2) is held out for testing, so test
/// patches come from scenes the model never saw.
/// </summary>
public enum ColorPatchSplit
{
    /// <summary>The patches of the photographs not held out.</summary>
    Train,

    /// <summary>The patches of the held-out photographs.</summary>
    Test,

    /// <summary>The patches of every photograph.</summary>
    All,
}
