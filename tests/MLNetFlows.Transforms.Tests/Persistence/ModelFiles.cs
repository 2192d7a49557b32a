using System.IO.Compression;
using Microsoft.ML;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms.Tests.Persistence;

/// <summary>Reading and altering entries of saved model files, and finding the adapter's error in a load failure.</summary>
internal static class ModelFiles
{
    public static byte[] Read(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        return Read(zip, entry);
    }

    public static string[] EntryNames(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    public static void Rewrite(string path, string entry, Func<byte[], byte[]> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var content = change(Read(zip, entry));
        zip.GetEntry(entry)!.Delete();
        using var stream = zip.CreateEntry(entry).Open();
        stream.Write(content);
    }

    /// <summary>The <see cref="ModelFormatException"/> somewhere in the chain of exceptions loading <paramref name="path"/> throws.</summary>
    public static ModelFormatException LoadError(MLContext ml, string path)
    {
        var error = Record.Exception(() => ml.Model.Load(path, out _));
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is ModelFormatException format)
            {
                return format;
            }
        }

        throw new Xunit.Sdk.XunitException($"expected a ModelFormatException inside the load error, got {error?.ToString() ?? "no error"}");
    }

    private static byte[] Read(ZipArchive zip, string entry)
    {
        using var stream = zip.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException($"the model has no entry '{entry}'");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
