using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Trains an image-conditioned INN — the conditional INN paper's colorization setup: x = the chroma, condition = the
/// lightness — on a column of pixel vectors and a column of condition images, and returns an
/// <see cref="ImageConditionalInnTransformer"/>. The conditioning network (<see cref="ImageConditionNetwork"/>) is trained
/// end to end with the flow. Reached through <c>mlContext.Transforms.ConditionalInnColorization(...)</c> or
/// <c>mlContext.Transforms.ImageConditionalInn(options)</c>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term>input: FeatureColumnName</term><description><c>Vector&lt;Single, C, H, W&gt;</c> (or flat): planar pixels in [0, 255], what is modelled (colorization: Cb, Cr)</description></item>
/// <item><term>input: ConditionColumnName</term><description><c>Vector&lt;Single, Cc, H, W&gt;</c> (or flat): the condition image in [0, 255] (colorization: Y)</description></item>
/// </list>
/// Trains on all rows in memory with TorchSharp on the options' device; the seed is the options' <c>Seed</c>, else drawn
/// from the MLContext's seeded generator; progress goes to <c>mlContext.Log</c> and the options' callbacks; checkpoints
/// and resume as for class conditions.
/// </remarks>
public sealed class ImageConditionalInnTrainer : IEstimator<ImageConditionalInnTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly ConditionalInnTrainerOptions _options;

    internal ImageConditionalInnTrainer(IHostEnvironment environment, ConditionalInnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Condition != ConditionKind.Image)
        {
            throw new ArgumentException($"the image-conditioned INN needs Condition = {nameof(ConditionKind.Image)}, got {options.Condition}; use mlContext.Transforms.ConditionalInn for class conditions");
        }

        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains on the feature and condition columns of <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    public ImageConditionalInnTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = ConditionalInnColumns.RequireFeatures(input.Schema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        var condition = ImageConditionalInnColumns.RequireCondition(input.Schema, _options.ConditionColumnName, _options.ConditionImageChannels, _options.ImageHeight, _options.ImageWidth);
        var host = _environment.Register(nameof(ImageConditionalInnTrainer));
        var seed = _options.Seed ?? host.Rand.Next();
        using var data = ImageConditionalInnTrainingData.Read(input, features, condition, _options, seed);
        using var channel = host.Start("Training");
        var training = new ConditionalInnTraining(_options, 0, seed, message => channel.Info(MessageSensitivity.None, "{0}", message));
        var (model, history) = training.Run(data.Train, data.TrainConditions, data.Validation, data.ValidationConditions);
        var network = new ImageConditionalInnNetwork(model, _options.ImageHeight, _options.ImageWidth, _options.NumberOfBits, DeviceNames.Parse(_options.Device));
        var sampling = new ImageConditionalInnSampling(_options.SamplingTemperature, _options.SamplingSeed);
        return new ImageConditionalInnTransformer(network, _options.FeatureColumnName, _options.ConditionColumnName, _options.ScoringBatchSize, sampling, history);
    }

    /// <summary>The input shape with LogLikelihood, BitsPerDim, Sample and (colorization) Colorized appended; checks both input columns.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ConditionalInnColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        ImageConditionalInnColumns.RequireCondition(inputSchema, _options.ConditionColumnName, _options.ConditionImageChannels, _options.ImageHeight, _options.ImageWidth);
        var colorization = _options.Channels == 2 && _options.ConditionImageChannels == 1;
        return SchemaShapes.Append(inputSchema, ImageConditionalInnColumns.Added(_options.Channels, _options.ImageHeight, _options.ImageWidth, withFeatures: true, colorization));
    }
}
