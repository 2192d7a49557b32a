using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetFlows.Persistence;

/// <summary>
/// Makes our loaders known to an <see cref="MLContext"/>'s <see cref="ComponentCatalog"/>, through ML.NET's own public
/// <see cref="ComponentCatalog.RegisterAssembly"/>. ML.NET finds loaders by <c>[assembly: LoadableClass(...)]</c>
/// attributes, whose type is internal to it, so no library outside ML.NET can declare one. For each loader we therefore
/// generate, once per process, a tiny in-memory assembly that carries exactly that attribute (naming
/// <see cref="ModelLoader{T}"/> as the loader type and <c>SignatureLoadModel</c> as the signature) and
/// <c>[IgnoresAccessChecksTo("Microsoft.ML.Core")]</c> (without it the runtime hides an attribute whose constructor the
/// decorated assembly cannot see); the catalog then registers it like any first-party assembly. Registering twice is a
/// no-op (ML.NET caches assemblies by name). Part of the persistence adapter: the internal names it needs come from
/// <see cref="MLNetInternals"/>.
/// </summary>
internal static class ModelLoaders
{
    private static readonly ConcurrentDictionary<Type, Lazy<Assembly>> Assemblies = new();

    /// <summary>Registers the loader of <typeparamref name="T"/> with <paramref name="catalog"/>.</summary>
    /// <typeparam name="T">The transformer type.</typeparam>
    /// <param name="catalog">An MLContext's component catalog.</param>
    /// <param name="kind">The component's signatures; its <see cref="PersistedModelKind.TransformerType"/> is <typeparamref name="T"/>.</param>
    /// <param name="load">Reads the transformer; called by ML.NET with the loading context's environment.</param>
    public static void Register<T>(ComponentCatalog catalog, PersistedModelKind kind, Func<ModelReader, IHostEnvironment, T> load)
        where T : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(load);
        if (kind.TransformerType != typeof(T))
        {
            throw new ArgumentException($"the kind {kind} describes {kind.TransformerType.Name}, not {typeof(T).Name}", nameof(kind));
        }

        ModelLoader<T>.Bind(kind, load);
        catalog.RegisterAssembly(Assemblies.GetOrAdd(typeof(T), _ => new(() => Generate(kind, typeof(ModelLoader<T>)))).Value);
    }

    private static Assembly Generate(PersistedModelKind kind, Type loaderType)
    {
        var name = new AssemblyName($"MLNetFlows.Loaders.{kind.LoaderSignature}");
        var assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule(name.Name!);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(IgnoresAccessChecksTo(module), [MLNetInternals.LoadableClassConstructor.DeclaringType!.Assembly.GetName().Name]));
        object?[] loadable = [kind.TransformerType, loaderType, null, MLNetInternals.SignatureLoadModel, kind.LoaderSignature, new[] { kind.LoaderSignature }];
        assembly.SetCustomAttribute(new CustomAttributeBuilder(MLNetInternals.LoadableClassConstructor, loadable));
        return assembly;
    }

    /// <summary>
    /// Emits <c>System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute(string)</c> into the module (the runtime
    /// recognises it by name; the base library does not define it).
    /// </summary>
    private static ConstructorInfo IgnoresAccessChecksTo(ModuleBuilder module)
    {
        var type = module.DefineType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Attribute));
        var assemblyName = type.DefineField("_assemblyName", typeof(string), FieldAttributes.Private | FieldAttributes.InitOnly);
        var constructor = type.DefineConstructor(MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName, CallingConventions.Standard, [typeof(string)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(Attribute).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, assemblyName);
        il.Emit(OpCodes.Ret);
        return type.CreateType().GetConstructor([typeof(string)])!;
    }
}

/// <summary>
/// The loader type ML.NET's catalog calls for <typeparamref name="T"/>: it looks for a static <c>Create</c> method
/// taking (IHostEnvironment, ModelLoadContext) and returning exactly <typeparamref name="T"/>. ModelLoadContext is
/// internal, so the parameter is typed <see cref="object"/> (ML.NET's method lookup accepts it).
/// </summary>
/// <typeparam name="T">The transformer type.</typeparam>
internal static class ModelLoader<T>
    where T : class, ITransformer
{
    private static (PersistedModelKind Kind, Func<ModelReader, IHostEnvironment, T> Load)? _binding;

    /// <summary>Sets the kind and the load function (the same ones every time for a given <typeparamref name="T"/>).</summary>
    public static void Bind(PersistedModelKind kind, Func<ModelReader, IHostEnvironment, T> load) => _binding = (kind, load);

    /// <summary>Called by ML.NET's component catalog while loading a model.</summary>
    private static T Create(IHostEnvironment env, object context)
    {
        var (kind, load) = _binding ?? throw new InvalidOperationException($"the loader of {typeof(T).Name} was not registered");
        return load(ModelReader.Open(context, kind), env);
    }
}
