using MLNetFlows.Models.Glow;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.Glow;

/// <summary>What a training step changes: the model, its optimizer and the moving average of its weights.</summary>
internal sealed record GlowTrainee(GlowModel Model, AdamOptimizer Optimizer, ExponentialMovingAverage? Average)
{
    /// <summary>The parameters the optimizer updates (and the average follows).</summary>
    public IReadOnlyList<Parameter> Parameters { get; } = Model.parameters().ToList();
}
