using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Cli.Commands.Cinn;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.OnnxScoring;

namespace MLNetFlows.Cli.Commands.Onnx;

/// <summary>
/// <c>mlnetflows score cinn</c>: a batch-scoring job for a class-conditional INN. Scores a labelled set with the model zip
/// on libtorch (<c>--engine torch</c>) or with its exported density file on ONNX Runtime (<c>--engine onnx</c>, batched)
/// and writes a CSV of row, label, log-likelihood and bits/dim given the label, the MAP class and its posterior.
/// </summary>
internal static class ConditionalInnScoreCommand
{
    /// <summary>Rows per ONNX Runtime run.</summary>
    private const int OnnxBatchSize = 64;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train cinn' (--engine torch), or its density export from 'mlnetflows export' (--engine onnx).", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var data = new Option<string>("--data") { Description = $"Labelled set: {string.Join(", ", CinnData.Names)}, or a folder with one subfolder per class.", DefaultValueFactory = _ => "fashion-mnist-test" };
        var output = new Option<string>("--output") { Description = "CSV to write.", DefaultValueFactory = _ => "cinn-scores.csv" };
        var limit = CommonOptions.Limit();
        var threads = CommonOptions.Threads();
        var engine = ScoringEngines.Option();
        var command = new Command("cinn", "Score a labelled set with a conditional INN (libtorch or ONNX Runtime) and write a CSV.") { model, data, output, limit, threads, engine };
        command.SetAction(r =>
        {
            var path = r.GetValue(output)!;
            OutputFiles.RequireFolder(path, "--output");
            var onnx = ScoringEngines.Parse(r.GetValue(engine)) == ScoringEngine.Onnx;
            if (!onnx)
            {
                TorchSettings.Apply(r.GetValue(threads));
            }

            var ml = new MLContext(0);
            var name = r.GetValue(data)!;
            var input = CinnData.Load(ml, name, r.GetValue(limit), "--data");
            var modelPath = r.GetValue(model)!;
            using var scorer = onnx
                ? (IDisposable)ConditionalInnOnnxTransformer.Load(modelPath, batchSize: OnnxBatchSize, threads: r.GetValue(threads))
                : ModelFile.LoadConditionalInn(ml, modelPath);
            IDataView scored;
            try
            {
                scored = ((ITransformer)scorer).Transform(input);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliFailureException($"--data '{name}' does not fit the model: {e.Message}", e);
            }

            var written = Write(scored, path, new ProgressBar("score", input.GetRowCount() ?? 0, "images"));
            Console.WriteLine($"wrote {path} ({written} images, {(onnx ? "ONNX Runtime" : "libtorch")})");
            return 0;
        });
        return command;
    }

    private static long Write(IDataView scored, string path, ProgressBar progress)
    {
        var columns = new[] { "Label", ConditionalInnOnnxNames.LogLikelihood, ConditionalInnOnnxNames.BitsPerDim, ConditionalInnOnnxNames.PredictedLabel, ConditionalInnOnnxNames.Score }
            .Select(n => scored.Schema[n]).ToArray();
        long written = 0;
        OutputFiles.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var cursor = scored.GetRowCursor(columns);
            writer.WriteLine("row,label,log_likelihood,bits_per_dim,predicted_label,posterior");
            var label = cursor.GetGetter<uint>(columns[0]);
            var logLikelihood = cursor.GetGetter<float>(columns[1]);
            var bits = cursor.GetGetter<float>(columns[2]);
            var predicted = cursor.GetGetter<uint>(columns[3]);
            var score = cursor.GetGetter<VBuffer<float>>(columns[4]);
            uint l = 0, p = 0;
            float ll = 0, b = 0;
            VBuffer<float> s = default;
            while (cursor.MoveNext())
            {
                label(ref l);
                logLikelihood(ref ll);
                bits(ref b);
                predicted(ref p);
                score(ref s);
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written},{l - 1},{ll:R},{b:R},{p - 1},{s.GetItemOrDefault((int)p - 1):R}"));
                progress.Report(++written);
            }
        });
        progress.Complete(written);
        return written;
    }
}
