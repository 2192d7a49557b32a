using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Trainers.InfoGan;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// Trains InfoGAN (Chen et al. 2016) on a column of pixel vectors and returns an <see cref="InfoGanTransformer"/> that
/// infers the codes of images (Category key and probabilities, Continuous vector) and generates images from codes.
/// Reached through <c>mlContext.Transforms.InfoGan(...)</c>. The options are validated on construction, the input
/// column at <see cref="GetOutputSchema"/> and <see cref="Fit"/>.
/// </summary>
/// <remarks>
/// Estimator characteristics: trains on all rows in memory (UInt8 pixels) with TorchSharp on the options' device, the
/// same seed giving the same model; progress and mode-collapse warnings go to <c>mlContext.Log</c>; a persisting mode
/// collapse stops training with an <see cref="InfoGanModeCollapseException"/> (or only warns, see
/// <see cref="InfoGanTrainerOptions.OnModeCollapse"/>). Output columns: see <see cref="InfoGanTransformer"/>.
/// </remarks>
public sealed class InfoGanEstimator : IEstimator<InfoGanTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly Options _options;

    internal InfoGanEstimator(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains on the feature column of <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    public InfoGanTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var column = InfoGanColumns.RequireFeatures(input.Schema, o.FeatureColumnName, o.Channels, o.ImageHeight, o.ImageWidth);
        var host = _environment.Register(nameof(InfoGanEstimator));
        using var pixels = InfoGanTrainingData.Read(input, column, o.Channels, o.ImageHeight, o.ImageWidth);
        using var channel = host.Start("Training");
        InfoGanTrainerOptions training = o;
        if (o.SampleGridDirectory is { } directory)
        {
            var caller = o.EpochModelCallback;
            training = o.ShallowCopy();
            training.EpochModelCallback = (report, model) =>
            {
                var path = InfoGanSampleGrid.Write(model, report.Epoch, o.Seed, directory);
                channel.Info(MessageSensitivity.None, "InfoGAN: sample grid of epoch {0} written to {1}", report.Epoch, path);
                caller?.Invoke(report, model);
            };
        }

        var (model, history) = new InfoGanTraining(training, message => channel.Info(MessageSensitivity.None, "{0}", message)).Run(pixels);
        return new InfoGanTransformer(new InfoGanNetwork(model, DeviceNames.Parse(o.Device)), o.FeatureColumnName, o.InferenceBatchSize, history);
    }

    /// <summary>The input shape with the code columns appended; checks the feature column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        InfoGanColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        return SchemaShapes.Append(inputSchema, InfoGanColumns.Codes(_options.Architecture));
    }

    /// <summary>Everything that configures the estimator: the input column and inference batch, plus the training options.</summary>
    public sealed class Options : InfoGanTrainerOptions
    {
        /// <summary>Input column: pixel values in [0, 255] as a float vector of C·H·W (ExtractPixels' defaults).</summary>
        public const string DefaultFeatureColumnName = "Features";

        /// <summary>Rows per inference pass of the fitted transformer.</summary>
        public const int DefaultInferenceBatchSize = 256;

        /// <summary>The input column (a float vector of C·H·W pixel values in [0, 255], channel-major).</summary>
        public string FeatureColumnName { get; set; } = DefaultFeatureColumnName;

        /// <summary>Rows per inference pass when the fitted transformer infers codes (batches of rows, never one row at a time).</summary>
        public int InferenceBatchSize { get; set; } = DefaultInferenceBatchSize;

        /// <summary>
        /// Folder for a sample grid per epoch (<c>infogan-samples-epoch-NNN.png</c>: one row per class of the first
        /// categorical code, the same ten noise vectors in every row and every epoch, continuous codes at 0), created if
        /// needed; null writes none.
        /// </summary>
        public string? SampleGridDirectory { get; set; }

        /// <inheritdoc/>
        public override void Validate()
        {
            if (SampleGridDirectory is not null && string.IsNullOrWhiteSpace(SampleGridDirectory))
            {
                throw new ArgumentException("SampleGridDirectory must name a folder, or be null for no sample grids", nameof(SampleGridDirectory));
            }

            if (string.IsNullOrWhiteSpace(FeatureColumnName))
            {
                throw new ArgumentException("FeatureColumnName must name a column", nameof(FeatureColumnName));
            }

            if (InferenceBatchSize is < 1 or > GlowTrainerOptions.MaximumScoringBatchSize)
            {
                throw new ArgumentException($"InferenceBatchSize must be between 1 and {GlowTrainerOptions.MaximumScoringBatchSize}, got {InferenceBatchSize}", nameof(InferenceBatchSize));
            }

            base.Validate();
        }
    }
}
