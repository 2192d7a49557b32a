// Glow anomaly detection over a folder of images.
//
//   train: fit a detector on a folder of normal images, score another folder (most anomalous first), save the model
//     dotnet run --project examples/GlowAnomalyDetection -- train <normal-images> <images-to-score> <model.zip> [epochs]
//   score: load a saved model (in a new process) and score a folder the same way
//     dotnet run --project examples/GlowAnomalyDetection -- score <model.zip> <images-to-score>
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows;
using MLNetFlows.Estimators.Anomaly;

const string Usage = "usage: GlowAnomalyDetection train <normal images> <images to score> <model.zip> [epochs]\n"
    + "       GlowAnomalyDetection score <model.zip> <images to score>";
var mlContext = new MLContext(seed: 1);
switch (args)
{
    case ["train", var normalFolder, var scoreFolder, var modelPath, ..] when args.Length <= 5:
        var epochs = args.Length == 5 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
        var normal = mlContext.Data.LoadFromEnumerable(ImageFile.In(normalFolder));
        var model = Pipeline(mlContext, epochs).Fit(normal);
        Print(mlContext, model.Transform(mlContext.Data.LoadFromEnumerable(ImageFile.In(scoreFolder))));
        mlContext.Model.Save(model, normal.Schema, modelPath);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {modelPath} (threshold {model.LastTransformer.Threshold:F3})"));
        return 0;
    case ["score", var modelPath, var scoreFolder]:
        mlContext.ComponentCatalog.RegisterMLNetFlows(); // makes MLNetFlows' transformers loadable in this MLContext
        var loaded = mlContext.Model.Load(modelPath, out _);
        Print(mlContext, loaded.Transform(mlContext.Data.LoadFromEnumerable(ImageFile.In(scoreFolder))));
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

// Images that cannot be read are skipped and reported instead of ending the job; pixels are 28×28 gray, 0..255.
static IEstimator<ITransformer> PixelPipeline(MLContext mlContext)
{
    var loadImages = mlContext.Transforms.LoadImagesSafely("Image", imageFolder: null, inputColumnName: nameof(ImageFile.Path));
    loadImages.Diagnostics.ImageLoadFailed += (_, failure) => Console.Error.WriteLine($"skipped {failure.Path}: {failure.Reason}");
    return loadImages
        .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
        .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
        .Append(mlContext.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red));
}

static EstimatorChain<GlowAnomalyTransformer> Pipeline(MLContext mlContext, int epochs) =>
    PixelPipeline(mlContext).Append(mlContext.AnomalyDetection.Trainers.Glow(new GlowAnomalyOptions
    {
        ImageHeight = 28,
        ImageWidth = 28,
        Levels = 2,
        StepsPerLevel = 4,
        HiddenChannels = 32,
        NumberOfEpochs = epochs,
        ValidationFraction = 0.1,
    }));

static void Print(MLContext mlContext, IDataView scored)
{
    foreach (var row in mlContext.Data.CreateEnumerable<ScoredImage>(scored, reuseRowObject: false).OrderByDescending(r => r.Score))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Score,9:F4}  {(row.PredictedLabel ? "anomaly" : "normal"),-7}  {row.Path}"));
    }
}

/// <summary>One input row: an image file.</summary>
internal sealed class ImageFile
{
    public string Path { get; set; } = string.Empty;

    public static IEnumerable<ImageFile> In(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => new ImageFile { Path = f });
}

/// <summary>One output row: the image and its verdict.</summary>
internal sealed class ScoredImage
{
    public string Path { get; set; } = string.Empty;

    public float Score { get; set; }

    public bool PredictedLabel { get; set; }
}
