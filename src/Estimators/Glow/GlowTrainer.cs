using MLNetFlows.Torch;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// Trains Glow on a column of pixel vectors and returns a <see cref="GlowTransformer"/> (density scoring and
/// generation). Reached through <c>mlContext.Transforms.Glow(...)</c>. The options are validated on construction, the
/// input column at <see cref="GetOutputSchema"/> and <see cref="Fit"/>.
/// </summary>
public sealed class GlowTrainer : IEstimator<GlowTransformer>
{
    private readonly MLContext _context;
    private readonly GlowTrainerOptions _options;

    internal GlowTrainer(MLContext context, GlowTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
    }

    /// <inheritdoc/>
    public GlowTransformer Fit(IDataView input)
    {
        var (network, history, heldOut) = TrainNetwork(_context, _options, input);
        heldOut.Dispose();
        return new GlowTransformer(network, _options.FeatureColumnName, _options.OutputLatent, _options.ScoringBatchSize, history);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GlowColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        return new SchemaShape(inputSchema.Concat(GlowColumns.DensityShape(_options.OutputLatent)));
    }

    /// <summary>
    /// Reads the data, trains, and wraps the model; shared with the anomaly trainer. Also returns the held-out rows
    /// (the validation rows, or the training rows without a validation split) as UInt8 pixels; the caller disposes them.
    /// </summary>
    internal static (GlowNetwork Network, IReadOnlyList<GlowEpochReport> History, Tensor HeldOut) TrainNetwork(MLContext context, GlowTrainerOptions options, IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = GlowColumns.RequireFeatures(input.Schema, options.FeatureColumnName, options.Channels, options.ImageHeight, options.ImageWidth);
        var seed = options.Seed ?? context.Seed ?? 0;
        var (train, validation) = GlowTrainingData.Read(input, column, options, seed);
        try
        {
            var training = new GlowTraining(options, seed, message => context.WriteLog(ChannelMessageKind.Info, nameof(GlowTrainer), message));
            var (model, history) = training.Run(train, validation);
            var network = new GlowNetwork(model, options.Channels, options.ImageHeight, options.ImageWidth, options.NumberOfBits, Device.Parse(options.Device));
            return (network, history, validation ?? train.Alias());
        }
        finally
        {
            train.Dispose();
        }
    }
}
