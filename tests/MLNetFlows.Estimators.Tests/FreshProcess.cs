using System.Diagnostics;
using Microsoft.ML;
using MLNetFlows.Estimators.Tests.Infrastructure;

namespace MLNetFlows.Estimators.Tests;

/// <summary>
/// Runs a saved model in a fresh process, as an application would: the test assembly doubles as a console program
/// (<c>dotnet MLNetFlows.Estimators.Tests.dll score model.zip input.idv output.idv</c>) that makes a new MLContext,
/// registers the loaders, loads the model and writes the transformed input as a binary IDataView.
/// </summary>
internal static class FreshProcess
{
    /// <summary>Scores <paramref name="input"/> with the model at <paramref name="modelPath"/> in a child process.</summary>
    /// <returns>The transformed data, read back from the child's output file.</returns>
    public static IDataView Score(MLContext ml, string modelPath, IDataView input, string directory)
    {
        var inputPath = Path.Combine(directory, "input.idv");
        var outputPath = Path.Combine(directory, "output.idv");
        using (var stream = File.Create(inputPath))
        {
            ml.Data.SaveAsBinary(input, stream, keepHidden: false);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])[typeof(FreshProcess).Assembly.Location, "score", modelPath, inputPath, outputPath])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? ml.Data.LoadFromBinary(outputPath)
            : throw new InvalidOperationException($"the child process failed ({process.ExitCode}): {output} {error.Result}");
    }

    /// <summary>The child's entry point.</summary>
    private static int Main(string[] args)
    {
        if (args is not ["score", var modelPath, var inputPath, var outputPath])
        {
            Console.Error.WriteLine("usage: score <model.zip> <input.idv> <output.idv>");
            return 2;
        }

        var ml = new MLContext();
        ml.ComponentCatalog.RegisterMLNetFlows();
        ScaleTransformer.Register(ml.ComponentCatalog);
        var model = ml.Model.Load(modelPath, out _);
        var scored = model.Transform(ml.Data.LoadFromBinary(inputPath));
        using (var stream = File.Create(outputPath))
        {
            ml.Data.SaveAsBinary(scored, stream, keepHidden: false);
        }

        (model as IDisposable)?.Dispose();
        return 0;
    }
}
