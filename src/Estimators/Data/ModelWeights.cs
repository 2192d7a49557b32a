using System.Globalization;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Reads a model's weights entry (safetensors) from a saved MLNetFlows transformer into a freshly built module, checking
/// before anything grows with the file or the architecture: the entry must be listed with the size it has; the
/// architecture's smallest possible weights (a lower bound on its parameters, computed from the architecture by each
/// network file) must fit in that size before the module is
/// built; the size must not exceed what the built module's weights and a header need before the entry is read; then
/// the SHA-256, the safetensors header and every tensor's name, dtype and shape are checked before any tensor is
/// allocated. Every problem is a <see cref="ModelFormatException"/> naming the entry. Shared by the Glow (and anomaly
/// detector), conditional INN and InfoGAN network files.
/// </summary>
internal static class ModelWeights
{
    /// <summary>The entry the weights are stored under.</summary>
    public const string Entry = "weights.safetensors";

    /// <summary>Room allowed for the safetensors header beyond each tensor's name: metadata, padding and JSON syntax.</summary>
    private const long HeaderAllowanceBytes = 64 * 1024;

    /// <summary>Room allowed per tensor in the header besides its name (dtype, shape, offsets, quoting).</summary>
    private const long HeaderBytesPerTensor = 256;

    /// <summary>
    /// Reads <see cref="Entry"/>, builds the module with <paramref name="create"/>, checks and loads the weights and moves
    /// the module to <paramref name="device"/>; the module is disposed when anything fails.
    /// </summary>
    /// <param name="reader">The component being loaded.</param>
    /// <param name="minimumParameters">
    /// A lower bound on the number of float32 values the architecture's module holds, computed from the architecture
    /// without building anything; a weights entry smaller than this many values is refused before <paramref name="create"/> runs.
    /// </param>
    /// <param name="create">Builds the module (fresh weights).</param>
    /// <param name="device">Where the loaded module goes.</param>
    public static TModule Load<TModule>(ModelReader reader, long minimumParameters, Func<TModule> create, Device device)
        where TModule : nn.Module =>
        reader.ReadEntry(Entry, entry => Load(entry, minimumParameters, create, device));

    /// <summary>The bytes the smallest possible weights entry of <paramref name="minimumParameters"/> float32 values takes (saturating).</summary>
    public static long MinimumBytes(long minimumParameters) =>
        minimumParameters > (long.MaxValue - 8) / sizeof(float) ? long.MaxValue : 8 + (minimumParameters * sizeof(float));

    private static TModule Load<TModule>(ModelEntry entry, long minimumParameters, Func<TModule> create, Device device)
        where TModule : nn.Module
    {
        if (MinimumBytes(minimumParameters) > entry.Length)
        {
            throw entry.Error(string.Create(CultureInfo.InvariantCulture,
                $"the architecture in the manifest needs at least {minimumParameters:N0} parameters ({ModelEntry.Bytes(MinimumBytes(minimumParameters))} of weights), but '{Entry}' holds {ModelEntry.Bytes(entry.Length)}: the architecture does not match the weights"));
        }

        TorchRuntime.EnsureInitialized();
        var module = create();
        try
        {
            var expected = module.state_dict();
            var largest = expected.Values.Sum(t => t.NumberOfElements * t.ElementSize) + 8 + HeaderAllowanceBytes
                + expected.Keys.Sum(k => k.Length + HeaderBytesPerTensor);
            if (entry.Length > largest)
            {
                throw entry.Error($"'{Entry}' holds {ModelEntry.Bytes(entry.Length)}, more than the at most {ModelEntry.Bytes(largest)} the architecture's {expected.Count} tensors and their header take");
            }

            entry.VerifyChecksum();
            SafetensorsHeader header;
            try
            {
                header = SafetensorsHeader.Read(entry.Content, Entry);
            }
            catch (InvalidDataException e)
            {
                throw entry.Error(e.Message);
            }

            Check(entry, expected, header.Tensors);
            using var scope = NewDisposeScope();
            var stored = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var tensor in header.Tensors)
            {
                var value = empty(tensor.Shape, tensor.DType);
                entry.Content.Position = header.DataStart + tensor.Begin;
                entry.Content.ReadExactly(value.bytes);
                stored.Add(tensor.Name, value);
            }

            module.load_state_dict(stored);
            module.to(device);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Throws unless the header lists exactly the module's tensor names, dtypes and shapes.</summary>
    private static void Check(ModelEntry entry, IReadOnlyDictionary<string, Tensor> expected, IReadOnlyList<SafetensorsEntry> stored)
    {
        var byName = stored.ToDictionary(t => t.Name, StringComparer.Ordinal);
        static string Describe(ScalarType dtype, IEnumerable<long> shape) => $"{dtype} [{string.Join(", ", shape)}]";
        var problems = expected.Keys.Where(k => !byName.ContainsKey(k)).Select(k => $"missing '{k}'")
            .Concat(byName.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"unexpected '{k}'"))
            .Concat(expected.Where(p => byName.TryGetValue(p.Key, out var s) && (s.DType != p.Value.dtype || !s.Shape.SequenceEqual(p.Value.shape)))
                .Select(p => $"'{p.Key}' is {Describe(byName[p.Key].DType, byName[p.Key].Shape)}, expected {Describe(p.Value.dtype, p.Value.shape)}"))
            .ToArray();
        if (problems.Length > 0)
        {
            throw entry.Error($"the weights in '{Entry}' do not fit the architecture: {string.Join("; ", problems.Take(10))}");
        }
    }
}
