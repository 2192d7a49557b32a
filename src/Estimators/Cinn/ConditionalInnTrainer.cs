using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Trains a class-conditional INN on a column of pixel vectors and a label column (key or Int32) and returns a
/// <see cref="ConditionalInnTransformer"/>: conditional density, Bayes classification and class-conditional generation.
/// Reached through <c>mlContext.Transforms.ConditionalInn(...)</c>. The options are validated on construction, the input
/// columns at <see cref="GetOutputSchema"/> and <see cref="Fit"/>.
/// </summary>
/// <remarks>
/// Trains on all rows in memory with TorchSharp on the options' device; the seed is the options' <c>Seed</c>, else drawn
/// from the MLContext's seeded generator; progress goes to <c>mlContext.Log</c> and the options' callbacks.
/// </remarks>
public sealed class ConditionalInnTrainer : IEstimator<ConditionalInnTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly ConditionalInnTrainerOptions _options;

    internal ConditionalInnTrainer(IHostEnvironment environment, ConditionalInnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Condition != Models.Cinn.ConditionKind.Class)
        {
            throw new ArgumentException($"the class-conditional INN needs Condition = {nameof(Models.Cinn.ConditionKind.Class)}, got {options.Condition}; use mlContext.Transforms.ImageConditionalInn for image conditions");
        }

        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains on the feature and label columns of <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    public ConditionalInnTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = ConditionalInnColumns.RequireFeatures(input.Schema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        var label = ConditionalInnColumns.RequireLabel(input.Schema, _options.LabelColumnName, _options.NumberOfClasses);
        var host = _environment.Register(nameof(ConditionalInnTrainer));
        var seed = _options.Seed ?? host.Rand.Next();
        using var data = ConditionalInnTrainingData.Read(input, features, label, _options, seed);
        using var channel = host.Start("Training");
        var training = new ConditionalInnTraining(_options, data.Classes, seed, message => channel.Info(MessageSensitivity.None, "{0}", message));
        var (model, history) = training.Run(data.Train, data.TrainLabels, data.Validation, data.ValidationLabels);
        var network = new ConditionalInnNetwork(model, _options.ImageHeight, _options.ImageWidth, _options.NumberOfBits, data.LogPriors, DeviceNames.Parse(_options.Device));
        return new ConditionalInnTransformer(network, _options.FeatureColumnName, _options.LabelColumnName, _options.ScoringBatchSize, history);
    }

    /// <summary>The input shape with LogLikelihood, BitsPerDim, Score and PredictedLabel appended; checks both input columns.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ConditionalInnColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        ConditionalInnColumns.RequireLabel(inputSchema, _options.LabelColumnName, _options.NumberOfClasses);
        // Shapes carry no vector sizes or key counts, so the shape is the same for every number of classes K.
        return SchemaShapes.Append(inputSchema, ConditionalInnColumns.Added(Math.Max(_options.NumberOfClasses, 2), withLabel: true));
    }
}
