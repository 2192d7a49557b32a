using System.Globalization;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// What <c>train cinn</c> prints, for class and image conditions alike: a progress bar on stderr fed by the trainer's
/// step callback, then one line per epoch on stdout.
/// </summary>
internal sealed class CinnTrainingOutput
{
    private readonly ProgressBar _progress = new("train", 0, "steps");
    private long _lastStep;

    /// <summary>Hooks the progress bar to <paramref name="options"/>' step callback.</summary>
    public CinnTrainingOutput(ConditionalInnTrainerOptions options)
    {
        options.StepCallback = step =>
        {
            _lastStep = step.Step;
            _progress.SetTotal((long)step.BatchesPerEpoch * options.NumberOfEpochs);
            _progress.Report(step.Step, string.Create(CultureInfo.InvariantCulture, $"epoch {step.Epoch}, {step.BitsPerDim:F3} bits/dim"));
        };
    }

    /// <summary>Ends the progress bar and prints each epoch's figures.</summary>
    public void Complete(IEnumerable<ConditionalInnEpochReport> history)
    {
        _progress.Complete(_lastStep);
        foreach (var epoch in history)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch.Epoch}: train {epoch.TrainBitsPerDim:F4} bits/dim, validation {(epoch.ValidationBitsPerDim is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")} bits/dim, {epoch.ImagesPerSecond:F0} images/s"));
        }
    }
}
