using System.CommandLine;
using ShardPart = MLNetFlows.Cli.Data.Shard;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands;

/// <summary>Options several commands share, declared once. Range checks run at parse time, before any work starts.</summary>
internal static class CommonOptions
{
    public static Option<int> Threads()
    {
        var option = new Option<int>("--threads") { Description = "libtorch threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        return Require(option, t => t >= 1, t => $"--threads must be at least 1, got {t}");
    }

    public static Option<string> Model() => new("--model") { Description = "Model zip written by 'mlnetflows train glow'.", DefaultValueFactory = _ => "glow.zip" };

    public static Option<string[]> Data(string description, params string[] defaults) =>
        new("--data") { Description = description, AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => defaults };

    public static Option<int?> Limit()
    {
        var option = new Option<int?>("--limit") { Description = "Use at most this many rows of each data set." };
        return Require(option, l => l is null or >= 1, l => $"--limit must be at least 1, got {l}");
    }

    public static Option<int> Warmup(int defaultSteps) =>
        Require(new Option<int>("--warmup") { Description = "Learning-rate warm-up steps.", DefaultValueFactory = _ => defaultSteps }, w => w >= 0, w => $"--warmup must not be negative, got {w}");

    public static Option<LearningRateSchedule> LearningRateSchedule(LearningRateSchedule defaultSchedule) => new("--lr-schedule")
    {
        Description = "Learning rate after the warm-up: Constant, or Cosine down to 0 at the last epoch.",
        DefaultValueFactory = _ => defaultSchedule,
    };

    public static Option<double> WeightAveragingDecay(double defaultDecay) => new("--weight-averaging-decay")
    {
        Description = "Decay of the moving average of the weights (Polyak averaging) that evaluation during training and the saved model use; 0 keeps the raw weights.",
        DefaultValueFactory = _ => defaultDecay,
    };

    /// <summary>An option value where 0 means "off": null for 0, else the value.</summary>
    public static double? OffWhenZero(double value) => value == 0 ? null : value;

    public static Option<int> Seed() => new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };

    public static Option<string> Device() =>
        new("--device") { Description = "Device to train on: cpu, cuda or cuda:N (CUDA needs the TorchSharp-cuda-linux build).", DefaultValueFactory = _ => GlowTrainerOptions.Defaults.Device };

    public static Option<BadImageHandling> OnBadImage() => new("--on-bad-image")
    {
        Description = "An image file that cannot be loaded is reported by path and reason, then skipped (skip) or ends the job (fail).",
        DefaultValueFactory = _ => BadImageHandling.Skip,
    };

    public static Option<ShardPart> Shard() => new("--shard")
    {
        Description = "Process shard i of N (0-based), e.g. 0/4: rows r with r mod N = i.",
        DefaultValueFactory = _ => ShardPart.All,
        CustomParser = r =>
        {
            try
            {
                return ShardPart.Parse(r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Join(' ', r.Tokens.Select(t => t.Value)));
            }
            catch (FormatException e)
            {
                r.AddError(e.Message);
                return ShardPart.All;
            }
        },
    };

    /// <summary>Adds a parse-time check: a value (given or default) that fails <paramref name="isValid"/> is a parse error.</summary>
    public static Option<T> Require<T>(Option<T> option, Func<T, bool> isValid, Func<T, string> error)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                // Not a T at all ('--limit abc'): the parser reports that itself, as one line naming the option.
                return;
            }

            if (!isValid(value))
            {
                result.AddError(error(value));
            }
        });
        return option;
    }
}
