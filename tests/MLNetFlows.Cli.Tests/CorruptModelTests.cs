using System.IO.Compression;
using Microsoft.ML;

namespace MLNetFlows.Cli.Tests;

/// <summary>
/// Every kind of malformed model file given to <c>score</c> ends in one line naming the file and the cause, and exit
/// code 1: never "Unhandled exception", a stack trace or SIGABRT.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class CorruptModelTests(TrainedModel model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private const string Component = "the MLNetFlows component 'MLNetFlowsGlowAnomaly' at 'TransformerChain' of the model file is invalid: ";

    public static TheoryData<string, string> Variants() => new()
    {
        { "empty", "model file '{path}' is empty: expected a model zip written by 'mlnetflows train glow'" },
        { "random bytes", "model file '{path}' is not a valid zip archive (" },
        { "truncated", "model file '{path}' is not a valid zip archive (" },
        { "text", "model file '{path}' is not a valid zip archive (" },
        { "weights entry removed", "cannot load the model '{path}': " + Component + "the entry 'weights.safetensors' is missing" },
        { "weights altered", "cannot load the model '{path}': " + Component + "the entry 'weights.safetensors' does not match its SHA-256 in the manifest (the file is corrupt or was altered)" },
        { "manifest cut in half", "cannot load the model '{path}': " + Component + "'manifest.json' is not valid JSON: " },
        { "manifest removed", "cannot load the model '{path}': " + Component + "the entry 'manifest.json' is missing" },
        { "manifest names a ../ entry", "cannot load the model '{path}': " + Component + "'manifest.json' lists an invalid entry: " },
        { "model header removed", "cannot load the model '{path}': " },
        { "every entry removed", "cannot load the model '{path}': " },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void AMalformedModelFileGivesOneLineAndExitCodeOne(string variant, string cause)
    {
        model.Train.AssertSuccess();
        var path = _directory.File(new string([.. variant.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]) + ".zip");
        File.WriteAllBytes(path, Corrupt(File.ReadAllBytes(model.Path), variant));

        var line = CliProcess.Run("score", "--model", path, "--data", "constant", "--limit", "4", "--output", _directory.File("scores.csv"), "--threads", "1")
            .AssertOneLineFailure();

        Assert.StartsWith("mlnetflows: error: " + cause.Replace("{path}", path, StringComparison.Ordinal), line, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("scores.csv")), "no output is written when the model cannot be loaded");
    }

    [Fact]
    public void AnExtraEntryNamedOutsideTheArchiveIsNeverWrittenAndTheModelStillLoads()
    {
        model.Train.AssertSuccess();
        var folder = Directory.CreateDirectory(_directory.File("deep/er")).FullName;
        var path = Path.Combine(folder, "extra.zip");
        File.WriteAllBytes(path, Rewrite(File.ReadAllBytes(model.Path), (_, _) => Keep, ("../../evil.json", "{}"u8.ToArray())));

        CliProcess.Run("score", "--model", path, "--data", "constant", "--limit", "4", "--output", _directory.File("scores.csv"), "--threads", "1").AssertSuccess();

        Assert.Equal(5, File.ReadAllLines(_directory.File("scores.csv")).Length);
        Assert.Empty(Directory.GetFiles(_directory.Path, "evil.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void AModelOfAnotherKindIsNamedAndRefused()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Value = 1 } });
        var path = _directory.File("copy.zip");
        ml.Model.Save(ml.Transforms.CopyColumns("Copy", nameof(Row.Value)).Fit(data), data.Schema, path);

        var line = CliProcess.Run("sample", "--model", path, "--count", "1", "--output", _directory.File("s.png"), "--threads", "1").AssertOneLineFailure();

        Assert.Equal($"mlnetflows: error: '{path}' holds a ColumnCopyingTransformer, not a Glow anomaly detector written by 'mlnetflows train glow'", line);
    }

    /// <summary>The model file with one kind of damage.</summary>
    private static byte[] Corrupt(byte[] zip, string variant) => variant switch
    {
        "empty" => [],
        "random bytes" => RandomBytes(zip.Length),
        "truncated" => zip[..(zip.Length / 2)],
        "text" => "this is not a model"u8.ToArray(),
        "weights entry removed" => Rewrite(zip, (name, _) => name.EndsWith("weights.safetensors", StringComparison.Ordinal) ? null : Keep),
        "weights altered" => Rewrite(zip, (name, bytes) => name.EndsWith("weights.safetensors", StringComparison.Ordinal) ? Flip(bytes) : Keep),
        "manifest cut in half" => Rewrite(zip, (name, bytes) => name.EndsWith("manifest.json", StringComparison.Ordinal) ? bytes[..(bytes.Length / 2)] : Keep),
        "manifest removed" => Rewrite(zip, (name, _) => name.EndsWith("manifest.json", StringComparison.Ordinal) ? null : Keep),
        "manifest names a ../ entry" => Rewrite(zip, (name, bytes) => name.EndsWith("manifest.json", StringComparison.Ordinal) ? Replace(bytes, "\"name\": \"weights.safetensors\"", "\"name\": \"../weights.safetensors\"") : Keep),
        "model header removed" => Rewrite(zip, (name, _) => name.EndsWith("Model.key", StringComparison.Ordinal) ? null : Keep),
        "every entry removed" => Rewrite(zip, (_, _) => null),
        _ => throw new ArgumentException($"unknown variant '{variant}'", nameof(variant)),
    };

    /// <summary>Marks an entry kept as it is by <see cref="Rewrite"/>.</summary>
    private static readonly byte[] Keep = new byte[1];

    /// <summary>A copy of the zip whose entries <paramref name="change"/> keeps (<see cref="Keep"/>), replaces, or drops (null); plus <paramref name="added"/>.</summary>
    private static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> change, params (string Name, byte[] Bytes)[] added)
    {
        using var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var memory = new MemoryStream();
        using (var target = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var copy = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(copy);
                }

                var content = change(entry.FullName, copy.ToArray());
                if (content is not null)
                {
                    Write(target, entry.FullName, ReferenceEquals(content, Keep) ? copy.ToArray() : content);
                }
            }

            foreach (var (name, bytes) in added)
            {
                Write(target, name, bytes);
            }
        }

        return memory.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(bytes);
    }

    private static byte[] Replace(byte[] bytes, string original, string altered)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains(original, text, StringComparison.Ordinal);
        return System.Text.Encoding.UTF8.GetBytes(text.Replace(original, altered, StringComparison.Ordinal));
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[^1] ^= 0x40;
        return copy;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(13).NextBytes(bytes);
        return bytes;
    }

    private sealed class Row
    {
        public float Value { get; set; }
    }
}
