using MLNetFlows.Models.Runtime;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Reads a model's weights entry (safetensors) from a saved MLNetFlows transformer into a freshly built module: the
/// stored tensors must have exactly the module's names, dtypes and shapes; every problem is a <see cref="ModelFormatException"/>
/// naming the entry. Shared by the Glow, conditional INN and InfoGAN network files.
/// </summary>
internal static class ModelWeights
{
    /// <summary>The entry the weights are stored under.</summary>
    public const string Entry = "weights.safetensors";

    /// <summary>
    /// Reads <see cref="Entry"/>, builds the module with <paramref name="create"/>, checks and loads the weights and moves
    /// the module to <paramref name="device"/>; the module is disposed when anything fails.
    /// </summary>
    public static TModule Load<TModule>(ModelReader reader, Func<TModule> create, Device device)
        where TModule : nn.Module
    {
        var bytes = reader.ReadEntry(Entry);
        TorchRuntime.EnsureInitialized();
        SafetensorsContent stored;
        try
        {
            stored = SafetensorsFile.Read(bytes, Entry);
        }
        catch (InvalidDataException e)
        {
            throw reader.Error(e.Message);
        }

        using (stored)
        {
            var module = create();
            try
            {
                Check(reader, module, stored.Tensors);
                module.load_state_dict(stored.Tensors.ToDictionary());
                module.to(device);
                return module;
            }
            catch
            {
                module.Dispose();
                throw;
            }
        }
    }

    /// <summary>Throws unless <paramref name="stored"/> has exactly the module's tensor names, dtypes and shapes.</summary>
    private static void Check(ModelReader reader, nn.Module module, IReadOnlyDictionary<string, Tensor> stored)
    {
        var expected = module.state_dict();
        static string Describe(Tensor t) => $"{t.dtype} [{string.Join(", ", t.shape)}]";
        var problems = expected.Keys.Except(stored.Keys).Select(k => $"missing '{k}'")
            .Concat(stored.Keys.Except(expected.Keys).Select(k => $"unexpected '{k}'"))
            .Concat(expected.Where(p => stored.TryGetValue(p.Key, out var s) && (s.dtype != p.Value.dtype || !s.shape.SequenceEqual(p.Value.shape)))
                .Select(p => $"'{p.Key}' is {Describe(stored[p.Key])}, expected {Describe(p.Value)}"))
            .ToArray();
        if (problems.Length > 0)
        {
            throw reader.Error($"the weights in '{Entry}' do not fit the architecture: {string.Join("; ", problems.Take(10))}");
        }
    }
}
