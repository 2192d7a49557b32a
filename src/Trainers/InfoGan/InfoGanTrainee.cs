using MLNetFlows.Models.InfoGan;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>What a training step changes: the networks and their two optimizers (G's; D's, which also trains Q).</summary>
internal sealed record InfoGanTrainee(InfoGanModel Model, AdamOptimizer GeneratorOptimizer, AdamOptimizer DiscriminatorOptimizer);
