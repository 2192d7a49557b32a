using System.CommandLine;
using System.Globalization;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Data;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows score</c>: a batch-scoring job. Reads images, scores them in batches, writes a CSV of path,
/// log-likelihood, bits/dim, score and predicted label. <c>--shard i/N</c> scores every N-th image only, so N copies of
/// the job (Kubernetes Indexed Job, Slurm array) split the input.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data("Images to score: built-in set(s) (fashion-mnist-test, mnist, ...), a folder of PNG/JPEG files, or a CSV of paths.", "fashion-mnist-test");
        var output = new Option<string>("--output") { Description = "CSV to write.", DefaultValueFactory = _ => "scores.csv" };
        var shard = new Option<string?>("--shard") { Description = "Score shard i of N (0-based), e.g. 0/4." };
        var limit = CommonOptions.Limit();
        var threads = CommonOptions.Threads();
        var command = new Command("score", "Score images with a trained detector and write a CSV.") { model, data, output, shard, limit, threads };
        command.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            Run(r.GetValue(model)!, r.GetValue(data)!, r.GetValue(output)!, Shard.Parse(r.GetValue(shard)), r.GetValue(limit));
            return 0;
        });
        return command;
    }

    private static void Run(string modelPath, IReadOnlyList<string> data, string output, Shard shard, int? limit)
    {
        var ml = new MLContext(0);
        using var detector = ModelFile.LoadDetector(ml, modelPath);
        var (input, diagnostics) = ImageSets.Load(ml, data, shard, limit);
        var total = input.GetRowCount() ?? 0;
        var scored = detector.Transform(input);
        var names = new[] { ImageSets.PathColumn, GlowColumns.LogLikelihood, GlowColumns.BitsPerDim, GlowColumns.Score, GlowColumns.PredictedLabel };
        var columns = names.Select(n => scored.Schema[n]).ToArray();
        var progress = new ProgressBar("score", total, "images");
        var temporary = output + ".tmp";
        long written;
        using (var writer = new StreamWriter(temporary))
        using (var cursor = scored.GetRowCursor(columns))
        {
            writer.WriteLine("path,log_likelihood,bits_per_dim,score,predicted_label");
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
            var logLikelihood = cursor.GetGetter<float>(columns[1]);
            var bits = cursor.GetGetter<float>(columns[2]);
            var score = cursor.GetGetter<float>(columns[3]);
            var label = cursor.GetGetter<bool>(columns[4]);
            ReadOnlyMemory<char> p = default;
            float ll = 0, b = 0, s = 0;
            bool l = false;
            long done = 0;
            while (cursor.MoveNext())
            {
                path(ref p);
                logLikelihood(ref ll);
                bits(ref b);
                score(ref s);
                label(ref l);
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Csv(p.ToString())},{ll:R},{b:R},{s:R},{(l ? "true" : "false")}"));
                progress.Report(++done);
            }

            written = done;
        }

        File.Move(temporary, output, overwrite: true);
        if (diagnostics is not null)
        {
            ImageFiles.Report(diagnostics);
        }

        Console.WriteLine($"wrote {output} ({written} images, shard {shard.Index}/{shard.Count})");
    }

    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
