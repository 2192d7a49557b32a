using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Cli.Commands.Onnx;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows score</c>: a batch-scoring job. Reads images, scores them in batches with the detector's
/// <c>Transform</c>, and writes a CSV of path, log-likelihood, bits/dim, score and predicted label. <c>--shard i/N</c>
/// scores every N-th image only, so N copies of the job (Kubernetes Indexed Job, Slurm array) split the input.
/// Arguments, data (folders listed, CSVs read) and output paths are checked before the model is loaded.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data("Images to score: built-in set(s) (fashion-mnist-test, mnist, ...), a folder of PNG/JPEG files, or a CSV of paths.", "fashion-mnist-test");
        var output = new Option<string>("--output") { Description = "CSV to write.", DefaultValueFactory = _ => "scores.csv" };
        var shard = CommonOptions.Shard();
        var onBadImage = CommonOptions.OnBadImage();
        var limit = CommonOptions.Limit();
        var threads = CommonOptions.Threads();
        var engine = ScoringEngines.Option();
        var command = new Command("score", "Score images with a trained detector and write a CSV.") { model, data, output, shard, onBadImage, limit, threads, engine };
        command.SetAction(r =>
        {
            var specs = DataSpec.ParseInput(r.GetValue(data)!);
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            TorchSettings.Apply(r.GetValue(threads));
            Run(r.GetValue(model)!, specs, r.GetValue(output)!, r.GetValue(shard), r.GetValue(limit), r.GetValue(onBadImage), ScoringEngines.Parse(r.GetValue(engine)), r.GetValue(threads));
            return 0;
        });
        command.Subcommands.Add(ConditionalInnScoreCommand.Create());
        return command;
    }

    private static void Run(string modelPath, IReadOnlyList<DataSpec> data, string output, Shard shard, int? limit, BadImageHandling onBadImage, ScoringEngine engine, int threads)
    {
        var ml = new MLContext(0);
        var input = ImageInput.Load(ml, data, shard, limit, onBadImage);
        var (detector, owner) = ScoringEngines.LoadDetector(ml, modelPath, engine, threads);
        using var owned = owner;
        var scored = detector.Transform(input.Data);
        var columns = new[] { ImageInput.PathColumn, GlowColumns.LogLikelihood, GlowColumns.BitsPerDim, GlowColumns.Score, GlowColumns.PredictedLabel }
            .Select(n => scored.Schema[n]).ToArray();
        var progress = new ProgressBar("score", input.ExpectedRows, "images");
        long written = 0;
        OutputFiles.Write(output, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var cursor = scored.GetRowCursor(columns);
            writer.WriteLine("path,log_likelihood,bits_per_dim,score,predicted_label");
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
            var logLikelihood = cursor.GetGetter<float>(columns[1]);
            var bits = cursor.GetGetter<float>(columns[2]);
            var score = cursor.GetGetter<float>(columns[3]);
            var label = cursor.GetGetter<bool>(columns[4]);
            ReadOnlyMemory<char> p = default;
            float ll = 0, b = 0, s = 0;
            var l = false;
            while (cursor.MoveNext())
            {
                path(ref p);
                logLikelihood(ref ll);
                bits(ref b);
                score(ref s);
                label(ref l);
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Csv(p.ToString())},{ll:R},{b:R},{s:R},{(l ? "true" : "false")}"));
                progress.Report(++written);
            }
        });
        progress.Complete(written);
        input.ReportBadImages();
        Console.WriteLine($"wrote {output} ({written} images, shard {shard})");
    }

    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
