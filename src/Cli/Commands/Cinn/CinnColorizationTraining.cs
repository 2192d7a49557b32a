using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// The colorization mode of <c>mlnetflows train cinn</c> (<c>--colorization wallpapers|&lt;folder&gt;</c>): trains
/// <c>mlContext.Transforms.ImageConditionalInn</c> on 32 × 32 patches of colour photographs — the photographs of
/// <c>plasma-workspace-wallpapers</c> or a folder of PNG/JPEG photographs — to generate the chroma (Cb, Cr) given the
/// lightness Y, then reports the bits/dim on the patches of the held-out photographs and saves the model.
/// </summary>
internal static class CinnColorizationTraining
{
    /// <summary>The value of <c>--colorization</c> that names the built-in wallpaper photographs.</summary>
    public const string Wallpapers = "wallpapers";

    public static Option<string?> CreateOption() => new("--colorization")
    {
        Description = $"Train a colorization model instead (chroma given lightness, {ColorPatches.DefaultPatchSize}×{ColorPatches.DefaultPatchSize} patches): '{Wallpapers}' (the photographs of plasma-workspace-wallpapers) or a folder of colour PNG/JPEG photographs. --data and --class-encoding do not apply.",
    };

    /// <summary>Sets the image geometry and the image condition on <paramref name="options"/>.</summary>
    public static void Configure(ConditionalInnTrainerOptions options)
    {
        options.ImageHeight = ColorPatches.DefaultPatchSize;
        options.ImageWidth = ColorPatches.DefaultPatchSize;
        options.Channels = 2;
        options.Condition = ConditionKind.Image;
        options.ConditionImageChannels = 1;
        options.FeatureColumnName = ColorPatchColumns.Features;
        options.ConditionColumnName = ColorPatchColumns.Condition;
    }

    /// <summary>Trains and saves; progress goes to stderr, the figures and the saved file to stdout.</summary>
    public static void Run(ConditionalInnTrainerOptions options, string source, int? limit, string output)
    {
        var ml = new MLContext(options.Seed);
        var train = Load(ml, source, ColorPatchSplit.Train, limit)!;
        var test = Load(ml, source, ColorPatchSplit.Test, limit);
        var report = new CinnTrainingOutput(options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training a colorization conditional INN ({options.Levels} levels × {options.BlocksPerLevel} blocks, {options.HiddenChannels} hidden channels) on {train.GetRowCount()} patches of {source} for {options.NumberOfEpochs} epochs"));
        using var model = ml.Transforms.ImageConditionalInn(options).Fit(train);
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(ColorPatchColumns.Features, train.Schema[ColorPatchColumns.Features].Type);
        schema.AddColumn(ColorPatchColumns.Condition, train.Schema[ColorPatchColumns.Condition].Type);
        OutputFiles.Write(output, stream => ml.Model.Save(model, schema.ToSchema(), stream));
        report.Complete(model.TrainingHistory);

        if (test is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held-out photographs: {model.EvaluateBitsPerDim(test, options.Seed ?? 0):F4} bits/dim of the chroma given the lightness ({test.GetRowCount()} patches)"));
        }

        Console.WriteLine($"saved {output}");
    }

    private static IDataView? Load(MLContext ml, string source, ColorPatchSplit split, int? limit)
    {
        try
        {
            var data = source == Wallpapers ? ml.Data.LoadWallpaperPatches(split, limit) : ml.Data.LoadColorPatches(source, split, limit);
            if (data.GetRowCount() > 0)
            {
                return data;
            }

            return split == ColorPatchSplit.Test
                ? null
                : throw new CliFailureException($"--colorization '{source}' gives no {ColorPatches.DefaultPatchSize}×{ColorPatches.DefaultPatchSize} training patches: use larger photographs");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new CliFailureException($"--colorization '{source}' cannot be read: {e.Message}", e);
        }
    }
}
