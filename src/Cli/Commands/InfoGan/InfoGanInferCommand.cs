using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Cli.Data;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.InfoGan;

/// <summary>
/// <c>mlnetflows infer</c>: infers the InfoGAN codes of images (a folder, a CSV of paths or a built-in set) in batches
/// with the model's <c>Transform</c> and writes a CSV: path, each categorical code's class (0-based) and class
/// probabilities, the continuous codes.
/// </summary>
internal static class InfoGanInferCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train infogan'.", DefaultValueFactory = _ => ModelFile.DefaultInfoGanPath };
        var data = CommonOptions.Data("Images: a folder of PNG/JPEG files, a CSV of paths, or built-in set(s) (mnist, fashion-mnist-test, ...); resized to 28×28 gray.", "mnist");
        var output = new Option<string>("--output") { Description = "CSV to write.", DefaultValueFactory = _ => "codes.csv" };
        var onBadImage = CommonOptions.OnBadImage();
        var limit = CommonOptions.Limit();
        var threads = CommonOptions.Threads();
        var command = new Command("infer", "Infer the InfoGAN codes (category, continuous factors) of images and write a CSV.") { model, data, output, onBadImage, limit, threads };
        command.SetAction(r =>
        {
            var specs = DataSpec.ParseInput(r.GetValue(data)!);
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            TorchSettings.Apply(r.GetValue(threads));
            Run(r.GetValue(model)!, specs, r.GetValue(output)!, r.GetValue(limit), r.GetValue(onBadImage));
            return 0;
        });
        return command;
    }

    private static void Run(string modelPath, IReadOnlyList<DataSpec> data, string output, int? limit, BadImageHandling onBadImage)
    {
        var ml = new MLContext(0);
        var input = ImageInput.Load(ml, data, Shard.All, limit, onBadImage);
        using var infoGan = ModelFile.LoadInfoGan(ml, modelPath);
        var a = infoGan.Architecture;
        if (infoGan.FeatureColumnName != ImageInput.FeaturesColumn || a.Channels != 1 || a.Height != ImageInput.Side || a.Width != ImageInput.Side)
        {
            throw new CliFailureException($"'{modelPath}' reads {a.Channels}×{a.Height}×{a.Width} images from column '{infoGan.FeatureColumnName}'; 'mlnetflows infer' feeds 1×{ImageInput.Side}×{ImageInput.Side} gray images (models written by 'mlnetflows train infogan')");
        }

        var scored = infoGan.Transform(input.Data);
        var header = new List<string> { "path" };
        for (var i = 0; i < a.CategoryCounts.Count; i++)
        {
            var name = i == 0 ? "category" : $"category{i}";
            header.Add(name);
            header.AddRange(Enumerable.Range(0, a.CategoryCounts[i]).Select(c => $"{name}_p{c}"));
        }

        header.AddRange(Enumerable.Range(0, a.ContinuousCodes).Select(c => $"continuous{c}"));
        long written = 0;
        OutputFiles.Write(output, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            var columns = new List<DataViewSchema.Column> { scored.Schema[ImageInput.PathColumn] };
            columns.AddRange(Enumerable.Range(0, a.CategoryCounts.Count).SelectMany(i => new[] { scored.Schema[InfoGanColumns.CategoryOf(i)], scored.Schema[InfoGanColumns.CategoryOf(i) + InfoGanColumns.ProbabilitiesSuffix] }));
            if (a.ContinuousCodes > 0)
            {
                columns.Add(scored.Schema[InfoGanColumns.Continuous]);
            }

            using var cursor = scored.GetRowCursor(columns);
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
            var keys = Enumerable.Range(0, a.CategoryCounts.Count).Select(i => cursor.GetGetter<uint>(columns[1 + (2 * i)])).ToArray();
            var vectors = columns.Skip(1).Where(c => c.Type is VectorDataViewType).Select(cursor.GetGetter<VBuffer<float>>).ToArray();
            writer.WriteLine(string.Join(',', header));
            ReadOnlyMemory<char> p = default;
            uint key = 0;
            VBuffer<float> vector = default;
            while (cursor.MoveNext())
            {
                path(ref p);
                var fields = new List<string> { Csv(p.ToString()) };
                for (var i = 0; i < vectors.Length; i++)
                {
                    if (i < keys.Length)
                    {
                        keys[i](ref key);
                        fields.Add((key - 1).ToString(CultureInfo.InvariantCulture));
                    }

                    vectors[i](ref vector);
                    fields.AddRange(vector.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                }

                writer.WriteLine(string.Join(',', fields));
                written++;
            }
        });
        input.ReportBadImages();
        Console.WriteLine($"wrote {output} ({written} images)");
    }

    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
