using System.Diagnostics;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.Cinn;

/// <summary>The speed measurements the cINN benches share: training images/s after warm-up steps, scoring images/s after a warm-up batch.</summary>
internal static class CinnSpeed
{
    /// <summary>Training steps run before the clock starts.</summary>
    public const int WarmupSteps = 3;

    /// <summary>
    /// Trains through <paramref name="train"/> (the library's training loop with <paramref name="options"/>, whose
    /// <see cref="ConditionalInnTrainerOptions.MaxTrainingTime"/> bounds it) and times the steps after <see cref="WarmupSteps"/>.
    /// </summary>
    /// <returns>The model, the number of timed steps (0 when training ended during warm-up) and their images/s.</returns>
    public static (ConditionalInnModel Model, long Steps, double ImagesPerSecond) Train(ConditionalInnTrainerOptions options, Func<ConditionalInnTrainerOptions, ConditionalInnModel> train)
    {
        var clock = new Stopwatch();
        long lastStep = 0;
        options.StepCallback = step =>
        {
            if (step.Step == WarmupSteps)
            {
                clock.Restart();
            }

            lastStep = step.Step;
        };
        var model = train(options);
        var steps = Math.Max(0, lastStep - WarmupSteps);
        return (model, steps, steps == 0 ? 0 : steps * options.BatchSize / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Scoring images/s in inference mode: <paramref name="logDensity"/> gives round r's log-densities of
    /// <paramref name="batch"/> images (in a dispose scope of this method); the first round is warm-up.
    /// </summary>
    public static double Score(Func<int, Tensor> logDensity, int batch, double seconds)
    {
        using var inference = inference_mode();
        var clock = new Stopwatch();
        long scored = 0;
        for (var round = 0; clock.Elapsed.TotalSeconds < seconds; round++)
        {
            using var scope = NewDisposeScope();
            _ = logDensity(round).sum().item<float>();
            if (round == 0)
            {
                clock.Start();
                continue;
            }

            scored += batch;
        }

        return scored / clock.Elapsed.TotalSeconds;
    }
}
