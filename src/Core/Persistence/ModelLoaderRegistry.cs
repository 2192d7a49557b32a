using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace MLNetFlows.Persistence;

/// <summary>
/// Maps persisted step kinds (e.g. <c>"ColumnCopyingTransformer"</c>) to loader functions. Every assembly that
/// defines persistable transformers registers its loaders from a module initializer. When a model names a kind
/// nobody registered, the registry loads the assembly recorded with the step (only assemblies named
/// <c>MLNetFlows.*</c>), runs its module initializer and tries again.
/// </summary>
public static class ModelLoaderRegistry
{
    private static readonly ConcurrentDictionary<string, Func<ModelLoadContext, ITransformer>> Loaders = new(StringComparer.Ordinal)
    {
        [TransformerChain<ITransformer>.LoaderKind] = TransformerChain<ITransformer>.Load,
    };

    /// <summary>Registers the loader of a step kind. Registering the same kind again with another loader fails.</summary>
    /// <param name="kind">The kind written by the transformer's <see cref="ICanSaveModel.Save"/>.</param>
    /// <param name="loader">Creates the transformer from a load context.</param>
    /// <exception cref="InvalidOperationException">Another loader is registered for <paramref name="kind"/>.</exception>
    public static void Register(string kind, Func<ModelLoadContext, ITransformer> loader)
    {
        Guard.NotNullOrEmpty(kind);
        Guard.NotNull(loader);
        Func<ModelLoadContext, ITransformer> existing = Loaders.GetOrAdd(kind, loader);
        if (existing != loader && existing.Method != loader.Method)
        {
            throw new InvalidOperationException($"A loader for model step kind '{kind}' is already registered ({existing.Method.DeclaringType}.{existing.Method.Name}).");
        }
    }

    /// <summary>Gets the registered kinds.</summary>
    public static IReadOnlyCollection<string> Kinds => [.. Loaders.Keys.Order(StringComparer.Ordinal)];

    internal static Func<ModelLoadContext, ITransformer>? Find(string kind, string? assemblyName)
    {
        if (Loaders.TryGetValue(kind, out var loader))
        {
            return loader;
        }

        if (assemblyName is not null && assemblyName.StartsWith("MLNetFlows.", StringComparison.Ordinal) && TryLoadAssembly(assemblyName))
        {
            return Loaders.GetValueOrDefault(kind);
        }

        return null;
    }

    private static bool TryLoadAssembly(string assemblyName)
    {
        try
        {
            Assembly assembly = Assembly.Load(new AssemblyName(assemblyName));
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            return true;
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or ArgumentException)
        {
            return false;
        }
    }
}
