using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.Cli.Commands.InfoGan;

/// <summary>
/// <c>mlnetflows sample infogan</c>: generates images of chosen codes from an InfoGAN model into a PNG grid
/// (<c>--category 3 --continuous 0.5,-1</c>), or with <c>--traverse i</c> the paper's Figure 2 grid: one row per class,
/// continuous code i swept across the columns, the noise fixed.
/// </summary>
internal static class InfoGanSampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train infogan'.", DefaultValueFactory = _ => ModelFile.DefaultInfoGanPath };
        var category = new Option<int[]>("--category")
        {
            Description = "Class of each categorical code, 0-based (one value per code).",
            AllowMultipleArgumentsPerToken = true,
        };
        var continuous = new Option<float[]?>("--continuous")
        {
            Description = "Comma-separated values of the continuous codes, e.g. 0.5,-1 (default: all 0).",
            CustomParser = ParseValues,
        };
        var traverse = new Option<int?>("--traverse") { Description = "Write the traversal grid of this continuous code (0-based) instead: rows = classes, columns = the code swept, noise fixed." };
        var steps = CommonOptions.Require(new Option<int>("--steps") { Description = "Columns of the traversal grid.", DefaultValueFactory = _ => 9 }, s => s >= 2, s => $"--steps must be at least 2, got {s}");
        var from = new Option<float>("--from") { Description = "First value of the traversal.", DefaultValueFactory = _ => -2 };
        var to = new Option<float>("--to") { Description = "Last value of the traversal.", DefaultValueFactory = _ => 2 };
        var count = CommonOptions.Require(new Option<int>("--count") { DefaultValueFactory = _ => 16 }, c => c >= 1, c => $"--count must be at least 1, got {c}");
        var columns = CommonOptions.Require(new Option<int>("--columns") { DefaultValueFactory = _ => 8 }, c => c >= 1, c => $"--columns must be at least 1, got {c}");
        var output = new Option<string>("--output") { DefaultValueFactory = _ => "infogan.png" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("infogan", "Generate images of chosen codes (or a traversal grid) from an InfoGAN model into a PNG grid.")
        {
            model, category, continuous, traverse, steps, from, to, count, columns, output, seed, threads,
        };
        command.SetAction(r =>
        {
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            TorchSettings.Apply(r.GetValue(threads));
            using var infoGan = ModelFile.LoadInfoGan(new MLContext(0), r.GetValue(model)!);
            var a = infoGan.Architecture;
            GlowImages images;
            int gridColumns;
            if (r.GetValue(traverse) is { } code)
            {
                if (code < 0 || code >= a.ContinuousCodes)
                {
                    throw new CliFailureException($"--traverse {code}: the model has {a.ContinuousCodes} continuous code(s), numbered 0 to {a.ContinuousCodes - 1}");
                }

                images = infoGan.Traverse(code, r.GetValue(steps), r.GetValue(from), r.GetValue(to), r.GetValue(seed));
                gridColumns = r.GetValue(steps);
            }
            else
            {
                var classes = r.GetValue(category) is { Length: > 0 } given ? given : new int[a.CategoryCounts.Count];
                var values = r.GetValue(continuous) ?? new float[a.ContinuousCodes];
                RequireCodes(a.CategoryCounts, a.ContinuousCodes, classes, values);
                images = infoGan.Generate(classes, values, r.GetValue(count), r.GetValue(seed));
                gridColumns = r.GetValue(columns);
            }

            OutputFiles.WriteAllBytes(r.GetValue(output)!, images.ToPngGrid(gridColumns));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {r.GetValue(output)} ({images.Pixels.Count} images)"));
            return 0;
        });
        return command;
    }

    /// <summary>Names the option and the fix when the codes do not fit the model (before any generation).</summary>
    private static void RequireCodes(IReadOnlyList<int> categoryCounts, int continuousCodes, int[] classes, float[] values)
    {
        if (classes.Length != categoryCounts.Count)
        {
            throw new CliFailureException($"--category: the model has {categoryCounts.Count} categorical code(s), got {classes.Length} value(s)");
        }

        for (var i = 0; i < classes.Length; i++)
        {
            if (classes[i] < 0 || classes[i] >= categoryCounts[i])
            {
                throw new CliFailureException($"--category {classes[i]}: categorical code {i} has {categoryCounts[i]} classes, numbered 0 to {categoryCounts[i] - 1}");
            }
        }

        if (values.Length != continuousCodes)
        {
            throw new CliFailureException($"--continuous: the model has {continuousCodes} continuous code(s), got {values.Length} value(s)");
        }
    }

    private static float[]? ParseValues(ArgumentResult result)
    {
        var text = string.Join(',', result.Tokens.Select(t => t.Value));
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
            {
                result.AddError($"--continuous expects comma-separated numbers such as 0.5,-1, got '{text}'");
                return null;
            }
        }

        return values;
    }
}
