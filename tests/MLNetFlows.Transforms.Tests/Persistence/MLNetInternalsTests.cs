using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms.Tests.Persistence;

/// <summary>
/// Pins the ML.NET internals the persistence adapter (MLNetInternals, ModelLoaders) relies on: these fail first, and
/// loudly, when a new Microsoft.ML changes them.
/// </summary>
public sealed class MLNetInternalsTests
{
    [Fact]
    public void RunsOnTheTestedMLNetVersionAndFindsEveryInternalMember()
    {
        MLNetInternals.EnsureSupported();

        Assert.Equal(new Version(5, 0), new Version(MLNetInternals.MLNetVersion.Major, MLNetInternals.MLNetVersion.Minor));
        Assert.Equal("Microsoft.ML.ModelLoadContext", MLNetInternals.LoadContextType.FullName);
        Assert.Equal("Microsoft.ML.SignatureLoadModel", MLNetInternals.SignatureLoadModel.FullName);
        Assert.Equal("Microsoft.ML.LoadableClassAttribute", MLNetInternals.LoadableClassConstructor.DeclaringType!.FullName);
    }

    [Theory]
    [InlineData("5.1.0")]
    [InlineData("4.0.3")]
    [InlineData("6.0.0")]
    public void AnotherMLNetVersionIsRefusedInOneLineNamingIt(string version)
    {
        var error = Assert.Throws<NotSupportedException>(() => MLNetInternals.CheckVersion(Version.Parse(version)));

        Assert.Equal($"MLNetFlows model persistence supports Microsoft.ML 5.0.x (tested with 5.0.1), found Microsoft.ML {version}: reference Microsoft.ML 5.0.x.", error.Message);
        MLNetInternals.CheckVersion(new Version(5, 0, 7));
    }

    [Fact]
    public void TheCatalogLooksLoadersUpTheWayModelLoadersRegistersThem()
    {
        // ML.NET finds a loader's static Create(IHostEnvironment, ModelLoadContext) returning exactly the instance type;
        // ours takes object for the internal context type. If ML.NET stops accepting that, registration would silently fail.
        var create = typeof(ModelLoader<PayloadTransformer>).GetMethod("Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy, null, [typeof(IHostEnvironment), MLNetInternals.LoadContextType], null);
        var ml = new MLContext();
        PayloadTransformer.Register(ml.ComponentCatalog);
        ml.ComponentCatalog.RegisterMLNetFlowsTransforms();
        var lookup = typeof(ComponentCatalog).GetMethod("GetLoadableClassInfo", BindingFlags.NonPublic | BindingFlags.Instance, [typeof(string), typeof(Type)])!;

        Assert.NotNull(create);
        Assert.Equal(typeof(PayloadTransformer), create.ReturnType);
        Assert.NotNull(lookup.Invoke(ml.ComponentCatalog, ["MLNetFlowsTestPayload", MLNetInternals.SignatureLoadModel]));
        Assert.NotNull(lookup.Invoke(ml.ComponentCatalog, ["MLNetFlowsSafeImageLoad", MLNetInternals.SignatureLoadModel]));
        Assert.Null(lookup.Invoke(new MLContext().ComponentCatalog, ["MLNetFlowsSafeImageLoad", MLNetInternals.SignatureLoadModel]));
    }

    [Fact]
    public void TheEnvironmentOfACatalogIsItsContexts()
    {
        var ml = new MLContext(7);

        Assert.Same(ml.ComponentCatalog, MLNetInternals.EnvironmentOf(ml.Transforms).ComponentCatalog);
        Assert.Same(ml.ComponentCatalog, MLNetInternals.EnvironmentOf(ml.AnomalyDetection.Trainers).ComponentCatalog);
        Assert.Same(ml.ComponentCatalog, MLNetInternals.EnvironmentOf(ml.AnomalyDetection).ComponentCatalog);
        Assert.Throws<ArgumentException>(() => MLNetInternals.EnvironmentOf(new object()));
    }

    [Fact]
    public void AKindIsRefusedUnlessItsSignaturesFitMLNetsHeader()
    {
        Assert.StartsWith("a model signature is exactly 8 ASCII characters, got 'SHORT'", Assert.Throws<ArgumentException>(() => new PersistedModelKind("SHORT", "Loader", typeof(PayloadTransformer))).Message, StringComparison.Ordinal);
        Assert.StartsWith("a loader signature is 1 to 24 ASCII letters, digits, '_' or '.', got 'ALoaderSignatureOf25Chars'", Assert.Throws<ArgumentException>(() => new PersistedModelKind("EIGHTCHR", "ALoaderSignatureOf25Chars", typeof(PayloadTransformer))).Message, StringComparison.Ordinal);
    }
}
