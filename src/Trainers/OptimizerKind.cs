namespace MLNetFlows.Trainers;

/// <summary>The optimizer a trainer uses (<see cref="AdamOptimizer"/>, torch.optim's update with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8).</summary>
public enum OptimizerKind
{
    /// <summary>
    /// Adamax (Kingma and Ba 2015, §7.1), the optimizer openai/glow trains with, as torch.optim.Adamax computes it:
    /// m ← β₁m + (1 − β₁)g, u ← max(β₂u, |g| + ε), θ ← θ − lr/(1 − β₁ᵗ)·m/u. openai/glow's own version also scales
    /// every step by √(1 − β₂ᵗ) (an extra warm-up over ~1/(1 − β₂) steps), adds ε after the max and sets β₂ from the
    /// epoch length; use <c>WarmupSteps</c> for the warm-up.
    /// </summary>
    Adamax,

    /// <summary>Adam (Kingma and Ba 2015), as torch.optim.Adam computes it.</summary>
    Adam,
}
