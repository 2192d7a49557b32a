using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetFlows.Persistence;

/// <summary>
/// The one place that reaches ML.NET internals, by reflection. ML.NET keeps what a third-party transformer needs for
/// <c>mlContext.Model.Save</c>/<c>Load</c> internal (dotnet/machinelearning#3243, #4911, #6839):
/// <list type="bullet">
/// <item>saving: <c>ModelSaveContext.CheckAtModel()</c>, <c>SetVersionInfo(VersionInfo)</c>, <c>Writer</c>,
/// <c>SaveBinaryStream(string, Action&lt;BinaryWriter&gt;)</c>, <c>Directory</c>;</item>
/// <item>loading: <c>ModelLoadContext.CheckAtModel(VersionInfo)</c>, <c>Reader</c>,
/// <c>TryLoadBinaryStream(string, Action&lt;BinaryReader&gt;)</c>, <c>Directory</c>;</item>
/// <item>registration: the <c>VersionInfo</c> constructor, <c>LoadableClassAttribute</c>'s constructor
/// (instType, loaderType, argType, sigType, userName, loadNames) and the <c>SignatureLoadModel</c> delegate type;</item>
/// <item>the environment of a catalog: <c>Microsoft.ML.Data.IInternalCatalog.Environment</c>.</item>
/// </list>
/// All are resolved together at first use. The adapter is pinned to Microsoft.ML <see cref="SupportedVersions"/>
/// (tested with <see cref="TestedVersion"/>): another version, or a member that is missing, fails with a one-line
/// <see cref="NotSupportedException"/> naming the cause. Tests in <c>MLNetInternalsTests</c> fail loudly when a
/// new ML.NET changes any of these.
/// </summary>
/// <remarks>
/// The persistence adapter is this class, <see cref="ModelLoaders"/> (registration), <see cref="ModelWriter"/> /
/// <see cref="ModelReader"/> (a component's manifest and entries, <see cref="ModelManifest"/>) and
/// <see cref="PersistedModelKind"/>. It lives in MLNetFlows.Transforms, the lowest assembly that touches ML.NET, so
/// that the transformers of this assembly (<c>LoadImagesSafely</c>) and of MLNetFlows.Estimators (Glow) save and load
/// the same way; nothing outside it reaches ML.NET's internals for persistence.
/// </remarks>
internal static class MLNetInternals
{
    /// <summary>The Microsoft.ML version this adapter is tested with.</summary>
    public const string TestedVersion = "5.0.1";

    /// <summary>The Microsoft.ML versions this adapter accepts (same major and minor as the tested one).</summary>
    public const string SupportedVersions = "5.0.x";

    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly Lazy<Members> Resolved = new(Resolve);

    /// <summary>Gets the internal <c>Microsoft.ML.ModelLoadContext</c> type (the parameter type of loader methods).</summary>
    public static Type LoadContextType => Resolved.Value.LoadContext;

    /// <summary>Gets the internal <c>Microsoft.ML.SignatureLoadModel</c> delegate type.</summary>
    public static Type SignatureLoadModel => Resolved.Value.SignatureLoadModel;

    /// <summary>Gets the constructor of the internal <c>LoadableClassAttribute</c> (instType, loaderType, argType, sigType, userName, loadNames).</summary>
    public static ConstructorInfo LoadableClassConstructor => Resolved.Value.LoadableClass;

    /// <summary>Gets the Microsoft.ML version found at run time (from Microsoft.ML.Core's informational version).</summary>
    public static Version MLNetVersion => VersionOf(typeof(ModelSaveContext).Assembly);

    /// <summary>Starts writing a component: checks the context is at the model and stores the version header.</summary>
    /// <param name="ctx">The save context ML.NET passed to <c>ICanSaveModel.Save</c>.</param>
    /// <param name="kind">The component's signatures and versions.</param>
    public static void BeginSave(ModelSaveContext ctx, PersistedModelKind kind)
    {
        var m = Resolved.Value;
        Invoke(m.SaveCheckAtModel, ctx, []);
        Invoke(m.SetVersionInfo, ctx, [VersionInfo(kind)]);
    }

    /// <summary>Gets the binary writer of the component's main stream (after its header).</summary>
    /// <param name="ctx">The save context.</param>
    public static BinaryWriter Writer(ModelSaveContext ctx) => (BinaryWriter)Resolved.Value.SaveWriter.GetValue(ctx)!;

    /// <summary>Gets the repository directory the component is written to, e.g. <c>TransformerChain/Transform_002</c>.</summary>
    /// <param name="ctx">The save context.</param>
    public static string SaveDirectory(ModelSaveContext ctx) => (string?)Resolved.Value.SaveDirectory.GetValue(ctx) ?? string.Empty;

    /// <summary>Writes an entry beside the component's main stream.</summary>
    /// <param name="ctx">The save context.</param>
    /// <param name="name">The entry name within the component's directory.</param>
    /// <param name="write">Writes the content.</param>
    public static void SaveBinaryStream(ModelSaveContext ctx, string name, Action<BinaryWriter> write) =>
        Invoke(Resolved.Value.SaveBinaryStream, ctx, [name, write]);

    /// <summary>Starts reading a component: checks the context is at the model and the header's signature and versions.</summary>
    /// <param name="ctx">The internal <c>ModelLoadContext</c> ML.NET passed to the loader.</param>
    /// <param name="kind">The component's signatures and versions.</param>
    public static void BeginLoad(object ctx, PersistedModelKind kind) => Invoke(Resolved.Value.LoadCheckAtModel, ctx, [VersionInfo(kind)]);

    /// <summary>Gets the binary reader of the component's main stream (after its header).</summary>
    /// <param name="ctx">The load context.</param>
    public static BinaryReader Reader(object ctx) => (BinaryReader)Resolved.Value.LoadReader.GetValue(ctx)!;

    /// <summary>Gets the repository directory the component is read from.</summary>
    /// <param name="ctx">The load context.</param>
    public static string LoadDirectory(object ctx) => (string?)Resolved.Value.LoadDirectory.GetValue(ctx) ?? string.Empty;

    /// <summary>Reads an entry beside the component's main stream; false when there is no such entry.</summary>
    /// <param name="ctx">The load context.</param>
    /// <param name="name">The entry name within the component's directory.</param>
    /// <param name="read">Reads the content.</param>
    public static bool TryLoadBinaryStream(object ctx, string name, Action<BinaryReader> read) =>
        (bool)Invoke(Resolved.Value.TryLoadBinaryStream, ctx, [name, read])!;

    /// <summary>Gets the environment (the <c>MLContext</c>'s) behind one of ML.NET's catalogs, e.g. <c>mlContext.Transforms</c>.</summary>
    /// <param name="catalog">A catalog object of an <c>MLContext</c>.</param>
    public static IHostEnvironment EnvironmentOf(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var m = Resolved.Value;
        return m.InternalCatalog.IsInstanceOfType(catalog)
            ? (IHostEnvironment)m.CatalogEnvironment.GetValue(catalog)!
            : throw new ArgumentException($"{catalog.GetType().Name} is not one of ML.NET's catalogs (it does not carry an MLContext)", nameof(catalog));
    }

    /// <summary>Resolves every member now; throws the same <see cref="NotSupportedException"/> a save or load would.</summary>
    public static void EnsureSupported() => _ = Resolved.Value;

    private static object VersionInfo(PersistedModelKind kind)
    {
        object?[] arguments = [kind.ModelSignature, kind.WrittenVersion, kind.ReadableVersion, kind.MinimumReadableVersion, kind.LoaderAssemblyName, kind.LoaderSignature, null];
        return Resolved.Value.VersionInfo.Invoke(arguments);
    }

    private static object? Invoke(MethodInfo method, object target, object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static Version VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? string.Empty;
        var plain = informational.Split('+', '-')[0];
        return Version.TryParse(plain, out var version) ? version : assembly.GetName().Version ?? new Version(0, 0);
    }

    /// <summary>Throws the one-line <see cref="NotSupportedException"/> unless <paramref name="found"/> is in <see cref="SupportedVersions"/>.</summary>
    /// <param name="found">A Microsoft.ML version.</param>
    internal static void CheckVersion(Version found)
    {
        var tested = Version.Parse(TestedVersion);
        if (found.Major != tested.Major || found.Minor != tested.Minor)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"MLNetFlows model persistence supports Microsoft.ML {SupportedVersions} (tested with {TestedVersion}), found Microsoft.ML {found}: reference Microsoft.ML {SupportedVersions}."));
        }
    }

    private static Members Resolve()
    {
        var core = typeof(ModelSaveContext).Assembly;
        var version = VersionOf(core);
        CheckVersion(version);

        var save = typeof(ModelSaveContext);
        var load = Need(core.GetType("Microsoft.ML.ModelLoadContext"), "type Microsoft.ML.ModelLoadContext", version);
        var versionInfo = Need(core.GetType("Microsoft.ML.VersionInfo"), "type Microsoft.ML.VersionInfo", version);
        var loadable = Need(core.GetType("Microsoft.ML.LoadableClassAttribute"), "type Microsoft.ML.LoadableClassAttribute", version);
        var internalCatalog = Need(typeof(MLContext).Assembly.GetType("Microsoft.ML.Data.IInternalCatalog"), "type Microsoft.ML.Data.IInternalCatalog", version);
        return new Members(
            load,
            Need(core.GetType("Microsoft.ML.SignatureLoadModel"), "type Microsoft.ML.SignatureLoadModel", version),
            Need(versionInfo.GetConstructor(Instance, [typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)]), "VersionInfo(string, uint, uint, uint, string, string, string)", version),
            Need(loadable.GetConstructor(Instance, [typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])]), "LoadableClassAttribute(Type, Type, Type, Type, string, string[])", version),
            Need(save.GetMethod("CheckAtModel", Instance, Type.EmptyTypes), "ModelSaveContext.CheckAtModel()", version),
            Need(save.GetMethod("SetVersionInfo", Instance, [versionInfo]), "ModelSaveContext.SetVersionInfo(VersionInfo)", version),
            NeedField(save, "Writer", typeof(BinaryWriter), version),
            NeedField(save, "Directory", typeof(string), version),
            Need(save.GetMethod("SaveBinaryStream", Instance, [typeof(string), typeof(Action<BinaryWriter>)]), "ModelSaveContext.SaveBinaryStream(string, Action<BinaryWriter>)", version),
            Need(load.GetMethod("CheckAtModel", Instance, [versionInfo]), "ModelLoadContext.CheckAtModel(VersionInfo)", version),
            NeedField(load, "Reader", typeof(BinaryReader), version),
            NeedField(load, "Directory", typeof(string), version),
            Need(load.GetMethod("TryLoadBinaryStream", Instance, [typeof(string), typeof(Action<BinaryReader>)]), "ModelLoadContext.TryLoadBinaryStream(string, Action<BinaryReader>)", version),
            internalCatalog,
            Need(internalCatalog.GetProperty("Environment", Instance), "IInternalCatalog.Environment", version));
    }

    private static FieldInfo NeedField(Type owner, string name, Type type, Version version)
    {
        var field = owner.GetField(name, Instance);
        return Need(field?.FieldType == type ? field : null, $"{owner.Name}.{name} ({type.Name})", version);
    }

    private static T Need<T>(T? member, string what, Version version)
        where T : class =>
        member ?? throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
            $"MLNetFlows model persistence cannot find Microsoft.ML's internal {what} in Microsoft.ML {version}: ML.NET changed the internals it relies on; reference Microsoft.ML {SupportedVersions} (tested with {TestedVersion})."));

    private sealed record Members(
        Type LoadContext,
        Type SignatureLoadModel,
        ConstructorInfo VersionInfo,
        ConstructorInfo LoadableClass,
        MethodInfo SaveCheckAtModel,
        MethodInfo SetVersionInfo,
        FieldInfo SaveWriter,
        FieldInfo SaveDirectory,
        MethodInfo SaveBinaryStream,
        MethodInfo LoadCheckAtModel,
        FieldInfo LoadReader,
        FieldInfo LoadDirectory,
        MethodInfo TryLoadBinaryStream,
        Type InternalCatalog,
        PropertyInfo CatalogEnvironment);
}
