using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of a saved model zip (<see cref="ModelMutation"/>): the same seed, source and kind give the same
/// bytes. Mutations that change an entry's content can re-declare its size and SHA-256 in the manifest, so the damage
/// gets past the integrity check to the parsers behind it.
/// </summary>
internal static class ModelMutator
{
    private const string ManifestSuffix = "manifest.json";
    private const string WeightsSuffix = "weights.safetensors";

    /// <summary>The uncompressed size of the decompression bomb <see cref="ModelMutation.HugeDeclaredSize"/> may plant (compresses to ~0.1 %).</summary>
    public const int BombBytes = 64 << 20;

    /// <summary>
    /// The manifest sizes that were open defects of the Glow loader (huge architecture sizes built a huge model before the
    /// weights were compared; a huge scoringBatchSize made every cursor allocate buffers for that many rows). Both are
    /// bounded now (WeightsBoundsTests, LoaderBoundsTests); <c>openDefects: false</c> still tames them, to rerun old budgets.
    /// </summary>
    private static readonly string[] UnboundedSizes = ["Levels", "StepsPerLevel", "HiddenChannels", "scoringBatchSize"];

    /// <summary>
    /// A copy of <paramref name="zip"/> with one mutation of <paramref name="kind"/>. With
    /// <paramref name="openDefects"/> false, the mutations that reached the former open defects of the Glow loader are drawn
    /// tamer (<see cref="UnboundedSizes"/> get values below 64; the decompression bomb becomes a huge size declared in
    /// the manifest): the tests stay green while the bench (which passes true) keeps showing them.
    /// </summary>
    public static byte[] Mutate(byte[] zip, ModelMutation kind, Random random, bool openDefects = true)
    {
        var entries = Read(zip);
        var names = entries.Keys.ToArray();
        switch (kind)
        {
            case ModelMutation.EntryRemoved:
                entries.Remove(names[random.Next(names.Length)]);
                return Write(entries);
            case ModelMutation.EntryTruncated:
            {
                var name = names[random.Next(names.Length)];
                entries[name] = entries[name][..random.Next(0, Math.Max(entries[name].Length, 1))];
                return Write(entries);
            }

            case ModelMutation.EntriesSwapped:
            {
                var (a, b) = (names[random.Next(names.Length)], names[random.Next(names.Length)]);
                (entries[a], entries[b]) = (entries[b], entries[a]);
                return Write(entries);
            }

            case ModelMutation.ManifestField:
            {
                var manifestName = names.First(n => n.EndsWith(ManifestSuffix, StringComparison.Ordinal));
                var manifest = JsonNode.Parse(entries[manifestName])!;
                var leaves = Leaves(manifest).ToArray();
                var (parent, key) = leaves[random.Next(leaves.Length)];
                var value = Interesting(random);
                if (!openDefects && key is string name && UnboundedSizes.Contains(name)
                    && long.TryParse(value?.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var size) && size > 64)
                {
                    value = size % 64;
                }

                SetChild(parent, key, value);
                entries[manifestName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
                return Write(entries);
            }

            case ModelMutation.TensorHeader:
            {
                var weightsName = names.First(n => n.EndsWith(WeightsSuffix, StringComparison.Ordinal));
                entries[weightsName] = MutateSafetensors(entries[weightsName], random);
                Redeclare(entries, weightsName);
                return Write(entries);
            }

            case ModelMutation.ZipSlipName:
            {
                var name = names[random.Next(names.Length)];
                var hostile = random.Next(5) switch
                {
                    0 => "../" + name,
                    1 => "/tmp/" + name,
                    2 => name.Replace("/", "/../../", StringComparison.Ordinal),
                    3 => "..\\..\\" + name.Replace('/', '\\'),
                    _ => name + "/../../../escaped",
                };
                if (random.Next(2) == 0)
                {
                    entries[hostile] = entries[name];
                    entries.Remove(name);
                }
                else
                {
                    entries[hostile] = "{}"u8.ToArray();
                }

                return Write(entries);
            }

            case ModelMutation.HugeDeclaredSize:
                return random.Next(3) switch
                {
                    0 => PatchZipSizes(Write(entries), random),
                    1 => DeclareSize(entries, names, random),
                    _ => openDefects ? Bomb(entries, names) : DeclareSize(entries, names, random),
                };
            case ModelMutation.BitFlip:
            {
                var bytes = zip.ToArray();
                for (var i = random.Next(1, 9); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>The entries of a zip, by name, in archive order.</summary>
    public static Dictionary<string, byte[]> Read(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }

        return entries;
    }

    /// <summary>A zip of <paramref name="entries"/> in their order.</summary>
    public static byte[] Write(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        }

        return memory.ToArray();
    }

    /// <summary>Updates the manifest's size and SHA-256 of the entry at <paramref name="entryPath"/> to its content.</summary>
    private static void Redeclare(Dictionary<string, byte[]> entries, string entryPath)
    {
        var manifestName = entries.Keys.First(n => n.EndsWith(ManifestSuffix, StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries[manifestName])!;
        var entryName = entryPath[(entryPath.LastIndexOf('/') + 1)..];
        foreach (var entry in manifest["entries"]!.AsArray().Where(e => (string?)e?["name"] == entryName))
        {
            entry!["bytes"] = entries[entryPath].LongLength;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(entries[entryPath]));
        }

        entries[manifestName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
    }

    private static byte[] MutateSafetensors(byte[] weights, Random random)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(weights);
        if (random.Next(6) == 0)
        {
            var bytes = weights.ToArray();
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, random.Next(3) switch { 0 => ulong.MaxValue, 1 => (ulong)weights.Length + 1, _ => (ulong)random.Next(0, headerLength * 2) });
            return bytes;
        }

        var header = JsonNode.Parse(weights.AsSpan(8, headerLength))!.AsObject();
        var tensors = header.Where(p => p.Key != "__metadata__").Select(p => p.Key).ToArray();
        var tensor = header[tensors[random.Next(tensors.Length)]]!.AsObject();
        switch (random.Next(4))
        {
            case 0:
                tensor["dtype"] = random.Next(3) switch { 0 => "F64", 1 => "I8", _ => "X9" };
                break;
            case 1:
            {
                var shape = tensor["shape"]!.AsArray();
                if (shape.Count > 0 && random.Next(3) > 0)
                {
                    shape[random.Next(shape.Count)] = random.Next(3) switch { 0 => 0, 1 => -1, _ => long.MaxValue / 3 };
                }
                else
                {
                    shape.Add(random.Next(2) == 0 ? 1 : 1L << 40);
                }

                break;
            }

            case 2:
            {
                var offsets = tensor["data_offsets"]!.AsArray();
                offsets[random.Next(2)] = random.Next(3) switch { 0 => -8, 1 => (long)int.MaxValue * 4, _ => random.Next(0, weights.Length) };
                break;
            }

            default:
                header[tensors[random.Next(tensors.Length)]] = tensor.DeepClone();
                break;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + weights.Length - 8 - headerLength];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        weights.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + padded));
        return result;
    }

    /// <summary>Patches the uncompressed-size fields of the zip's local and central headers of one entry to huge values.</summary>
    private static byte[] PatchZipSizes(byte[] zip, Random random)
    {
        var bytes = zip.ToArray();
        var huge = random.Next(3) switch { 0 => uint.MaxValue, 1 => 0x7FFF_FFFFu, _ => (uint)random.Next(1 << 20, int.MaxValue) };
        var target = random.Next(8);
        var seen = 0;
        for (var at = 0; at + 46 <= bytes.Length; at++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            if (signature == 0x04034b50 && seen++ % 8 == target % 8)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 22), huge);
            }
            else if (signature == 0x02014b50 && seen++ % 8 == target % 8)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 24), huge);
            }
        }

        return bytes;
    }

    /// <summary>Declares an entry's size in the manifest as huge, leaving its content and hash as they are.</summary>
    private static byte[] DeclareSize(Dictionary<string, byte[]> entries, string[] names, Random random)
    {
        var manifestName = names.First(n => n.EndsWith(ManifestSuffix, StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries[manifestName])!;
        foreach (var entry in manifest["entries"]!.AsArray())
        {
            entry!["bytes"] = random.Next(3) switch { 0 => long.MaxValue, 1 => 1L << 33, _ => (long)int.MaxValue };
        }

        entries[manifestName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return Write(entries);
    }

    /// <summary>
    /// Replaces the weights by <see cref="BombBytes"/> of a valid safetensors header followed by zeros, declared with
    /// its true size and SHA-256 in the manifest: a small file that is honest about a huge entry.
    /// </summary>
    private static byte[] Bomb(Dictionary<string, byte[]> entries, string[] names)
    {
        var weightsName = names.First(n => n.EndsWith(WeightsSuffix, StringComparison.Ordinal));
        const int elements = (BombBytes - 256) / 4;
        var header = Encoding.UTF8.GetBytes($"{{\"huge\":{{\"dtype\":\"F32\",\"shape\":[{elements}],\"data_offsets\":[0,{elements * 4}]}}}}");
        var padded = (header.Length + 7) / 8 * 8;
        var bomb = new byte[8 + padded + (elements * 4)];
        BinaryPrimitives.WriteUInt64LittleEndian(bomb, (ulong)padded);
        header.CopyTo(bomb, 8);
        bomb.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        entries[weightsName] = bomb;
        Redeclare(entries, weightsName);
        return Write(entries);
    }

    private static IEnumerable<(JsonNode Parent, object Key)> Leaves(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToArray())
                {
                    if (child is JsonValue or null)
                    {
                        yield return (o, key);
                    }
                    else
                    {
                        foreach (var leaf in Leaves(child))
                        {
                            yield return leaf;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue or null)
                    {
                        yield return (a, i);
                    }
                    else
                    {
                        foreach (var leaf in Leaves(a[i]!))
                        {
                            yield return leaf;
                        }
                    }
                }

                break;
        }
    }

    private static void SetChild(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else
        {
            parent.AsArray()[(int)key] = value;
        }
    }

    /// <summary>Values that break parsers and arithmetic: boundary integers, non-finite and fractional numbers, wrong types, long strings, null.</summary>
    private static JsonNode? Interesting(Random random) => random.Next(14) switch
    {
        0 => 0,
        1 => -1,
        2 => int.MaxValue,
        3 => long.MaxValue,
        4 => 1 << 20,
        5 => 65_536,
        6 => 2.5,
        7 => "NaN",
        8 => "",
        9 => new string('A', 100_000),
        10 => null,
        11 => true,
        12 => new JsonArray(1, 2, 3),
        _ => random.Next(1, 64),
    };
}
