using System.CommandLine;

namespace MLNetFlows.Cli.Commands;

/// <summary>Options several commands share, declared once.</summary>
internal static class CommonOptions
{
    public static Option<int> Threads() => new("--threads") { Description = "libtorch threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Option<string> Model(bool required = true) => new("--model") { Description = "Model zip written by 'mlnetflows train glow'.", Required = required, DefaultValueFactory = _ => "glow.zip" };

    public static Option<string[]> Data(string description, params string[] defaults) =>
        new("--data") { Description = description, AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => defaults };

    public static Option<int?> Limit() => new("--limit") { Description = "Use at most this many rows of each data set." };

    public static Option<int> Seed() => new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
}
