using MLNetFlows.Models.InfoGan;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>
/// What a training step changes: the networks, their two optimizers (G's; D's, which also trains Q) and the moving average
/// of all their weights, when averaging.
/// </summary>
internal sealed record InfoGanTrainee(InfoGanModel Model, AdamOptimizer GeneratorOptimizer, AdamOptimizer DiscriminatorOptimizer, ExponentialMovingAverage? Average);
