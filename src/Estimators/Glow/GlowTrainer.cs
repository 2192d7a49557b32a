using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// Trains Glow on a column of pixel vectors and returns a <see cref="GlowTransformer"/> (density scoring and
/// generation). Reached through <c>mlContext.Transforms.Glow(...)</c>. The options are validated on construction, the
/// input column at <see cref="GetOutputSchema"/> and <see cref="Fit"/>.
/// </summary>
/// <remarks>
/// Trainer characteristics: trains on all rows in memory (UInt8 pixels) with TorchSharp on the options' device; the seed
/// is the options' <c>Seed</c>, else drawn from the MLContext's seeded generator; progress goes to <c>mlContext.Log</c>.
/// Output columns: see <see cref="GlowTransformer"/>.
/// </remarks>
public sealed class GlowTrainer : IEstimator<GlowTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly GlowTrainerOptions _options;

    internal GlowTrainer(IHostEnvironment environment, GlowTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains on the feature column of <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    public GlowTransformer Fit(IDataView input)
    {
        var (network, history, heldOut) = TrainNetwork(_environment, _options, input, nameof(GlowTrainer));
        heldOut.Dispose();
        return new GlowTransformer(network, _options.FeatureColumnName, _options.OutputLatent, _options.ScoringBatchSize, history);
    }

    /// <summary>The input shape with the density columns appended; checks the feature column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GlowColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        return SchemaShapes.Append(inputSchema, GlowColumns.Density(_options.Levels, (int)_options.Architecture.Dimensions, _options.OutputLatent));
    }

    /// <summary>
    /// Reads the data, trains, and wraps the model; shared with the anomaly trainer. Also returns the held-out rows
    /// (the validation rows, or the training rows without a validation split) as UInt8 pixels; the caller disposes them.
    /// </summary>
    internal static (GlowNetwork Network, IReadOnlyList<GlowEpochReport> History, Tensor HeldOut) TrainNetwork(IHostEnvironment environment, GlowTrainerOptions options, IDataView input, string name)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = GlowColumns.RequireFeatures(input.Schema, options.FeatureColumnName, options.Channels, options.ImageHeight, options.ImageWidth);
        var host = environment.Register(name);
        var seed = options.Seed ?? host.Rand.Next();
        var (train, validation) = GlowTrainingData.Read(input, column, options, seed);
        try
        {
            using var channel = host.Start("Training");
            var training = new GlowTraining(options, seed, message => channel.Info(MessageSensitivity.None, "{0}", message));
            var (model, history) = training.Run(train, validation);
            var network = new GlowNetwork(model, options.Channels, options.ImageHeight, options.ImageWidth, options.NumberOfBits, DeviceNames.Parse(options.Device));
            return (network, history, validation ?? train.alias());
        }
        finally
        {
            train.Dispose();
        }
    }
}
