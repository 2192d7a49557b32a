using System.IO.Compression;
using System.Text;
using MLNetFlows.Testing;
using MLNetFlows.Persistence;

namespace MLNetFlows.Core.Tests.Persistence;

/// The malformed model-zip corpus, generated in code: each case must fail with a ModelFormatException naming the problem.
public sealed class MalformedModelTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private const string ChainManifest = """
        {"formatVersion": 1, "inputSchema": null,
         "model": {"kind": "TransformerChain", "version": 1, "parameters": {}, "entries": [], "steps": []}}
        """;

    private static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] data) in entries)
            {
                using Stream s = zip.CreateEntry(name).Open();
                s.Write(data);
            }
        }

        return memory.ToArray();
    }

    private static (string, byte[]) Manifest(string json) => ("manifest.json", Encoding.UTF8.GetBytes(json));

    public static TheoryData<string, byte[], string> Corpus()
    {
        byte[] valid = Zip(Manifest(ChainManifest));
        return new TheoryData<string, byte[], string>
        {
            { "not a zip", Encoding.UTF8.GetBytes("hello, I am not a zip"), "not a valid zip archive" },
            { "truncated", valid[..(valid.Length / 2)], "not a valid zip archive" },
            { "no manifest", Zip(("other.txt", [1])), "has no 'manifest.json'" },
            { "malformed json", Zip(Manifest("{\"formatVersion\": 1,")), "malformed JSON" },
            { "json array", Zip(Manifest("[1, 2]")), "expected a JSON object, got an array" },
            { "future version", Zip(Manifest(ChainManifest.Replace("\"formatVersion\": 1", "\"formatVersion\": 99", StringComparison.Ordinal))), "expected format version 1, got 99" },
            { "version as string", Zip(Manifest(ChainManifest.Replace("\"formatVersion\": 1", "\"formatVersion\": \"1\"", StringComparison.Ordinal))), "expected 'formatVersion' to be an integer, got the string \"1\"" },
            { "unknown kind", Zip(Manifest(ChainManifest.Replace("TransformerChain", "Teleporter", StringComparison.Ordinal))), "unknown step kind 'Teleporter'" },
            { "missing entry", Zip(Manifest(ChainManifest.Replace("\"entries\": []", "\"entries\": [\"weights.safetensors\"]", StringComparison.Ordinal))), "expected zip entry 'model/weights.safetensors', got no such entry" },
            { "dot-dot entry", Zip(Manifest(ChainManifest), ("model/../../evil", [1])), "unsafe: expected a relative path, got a '..'" },
            { "absolute entry", Zip(Manifest(ChainManifest), ("/etc/passwd", [1])), "unsafe: expected a relative path, got an absolute path" },
            { "bad schema type", Zip(Manifest(ChainManifest.Replace("\"inputSchema\": null", "\"inputSchema\": [{\"name\": \"X\", \"type\": {\"kind\": \"Tensor\"}}]", StringComparison.Ordinal))), "expected a type kind" },
            { "wrong step version", Zip(Manifest(ChainManifest.Replace("\"version\": 1", "\"version\": 7", StringComparison.Ordinal))), "expected version 1–1, got 7" },
        };
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Load_RejectsMalformedFile(string name, byte[] file, string expectedMessage)
    {
        var ex = Assert.Throws<ModelFormatException>(() => Ml.Model.Load(new MemoryStream(file), out _));

        Assert.True(ex.Message.Contains(expectedMessage, StringComparison.Ordinal), $"{name}: message was: {ex.Message}");
    }

    [Fact]
    public void Load_RejectsEntryLargerThanConfiguredCap()
    {
        byte[] file = Zip(Manifest(ChainManifest), ("model/blob", new byte[5000]));

        var ex = Assert.Throws<ModelFormatException>(() => Ml.Model.Load(new MemoryStream(file), out _, new ModelLoadOptions { MaxEntryBytes = 1000 }));

        Assert.Contains("'model/blob' is too large: expected at most 1000 bytes, got 5000", ex.Message);
    }

    [Fact]
    public void Load_ValidMinimalFileGivesEmptyChain()
    {
        ITransformer model = Ml.Model.Load(new MemoryStream(Zip(Manifest(ChainManifest))), out DataViewSchema? schema);

        Assert.Null(schema);
        Assert.Empty(Assert.IsType<TransformerChain<ITransformer>>(model));
    }

    [Fact]
    public void SaveToFile_IsAtomicAndLeavesNoTempFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.zip");
        File.WriteAllText(path, "old");

        Ml.Model.Save(new TransformerChain<ITransformer>(), null, path);

        Assert.Single(Directory.GetFiles(dir.Path));
        Assert.Empty(Assert.IsType<TransformerChain<ITransformer>>(Ml.Model.Load(path, out _)));
    }
}
