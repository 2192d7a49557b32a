using System.Reflection;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Trainers.Glow;
using TorchSharp;

namespace MLNetFlows.Estimators.Tests.Runtime;

/// <summary>
/// TorchSharp 0.107 frees a temporary <see cref="Scalar"/> from its finalizer, and nothing keeps it alive during the
/// native call that reads it, so a garbage collection triggered by another thread can free it mid-call. Our models,
/// training loops and transformers take every scalar from <see cref="Scalars"/> instead.
/// </summary>
public sealed class ScalarLifetimeTests
{
    public static TheoryData<string> LibraryAssemblies => new()
    {
        typeof(GlowModel).Assembly.GetName().Name!,
        typeof(GlowTraining).Assembly.GetName().Name!,
        typeof(GlowTransformer).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(LibraryAssemblies))]
    public void NoCodeOfTheLibraryMakesTorchSharpCreateATemporaryScalar(string assemblyName)
    {
        var found = new TemporaryScalarScan().Find(Assembly.Load(assemblyName), typeof(Scalars));

        Assert.True(found.Count == 0, $"{found.Count} call(s) create a temporary TorchSharp Scalar; take it from {nameof(Scalars)} (e.g. a.add(b, Scalars.One) for a + b, x.mul(Scalars.Of(0.5)) for x * 0.5):\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheScanFindsTheTemporariesOfOperatorsOfTensorAdditionAndOfTorchSharpOverrides()
    {
        var found = new TemporaryScalarScan().Find(typeof(Offenders).Assembly, typeof(Scalars)).Where(f => f.Contains(nameof(Offenders), StringComparison.Ordinal)).ToList();

        Assert.Equal(5, found.Count);
        Assert.Contains(found, f => f.Contains("Offenders::Half → Tensor.op_Multiply(Tensor, Double)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("Offenders::Sum → Tensor.op_Addition(Tensor, Tensor)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("Offenders::Explicit → Scalar.op_Implicit(Double)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("Offenders::Step → Adam.step(Func`1)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("Offenders::Normalize → Module`2.call(Tensor)", StringComparison.Ordinal));
    }

    [Fact]
    public void CachedScalarsAreSharedAndKeepTheirType()
    {
        Assert.Same(Scalars.Of(0.5), Scalars.Of(0.5));
        Assert.Same(Scalars.One, Scalars.Of(1L));
        Assert.Equal(torch.ScalarType.Float64, Scalars.Of(0.5).Type);
        Assert.Equal(torch.ScalarType.Int64, Scalars.Of(2L).Type);
        using var x = torch.ones(3, dtype: torch.ScalarType.Int64);
        using var doubled = x.mul(Scalars.Of(2L));
        Assert.Equal(torch.ScalarType.Int64, doubled.dtype);
    }

    /// <summary>Code the scan must flag (never called).</summary>
    private static class Offenders
    {
        public static torch.Tensor Half(torch.Tensor x) => x * 0.5;

        public static torch.Tensor Sum(torch.Tensor a, torch.Tensor b) => a + b;

        public static torch.Tensor Explicit(torch.Tensor x) => x.mul((Scalar)0.25);

        // A virtual call reaches the overrides in the TorchSharp types the code mentions (here as parameters).
        public static torch.Tensor Step(torch.optim.Optimizer optimizer, TorchSharp.Modules.Adam adam) => optimizer.step();

        public static torch.Tensor Normalize(TorchSharp.Modules.BatchNorm1d norm, torch.Tensor x) => ((torch.nn.Module<torch.Tensor, torch.Tensor>)norm).call(x);

        public static torch.Tensor Kept(torch.Tensor a, torch.Tensor b) => a.add(b, Scalars.One).mul(Scalars.Of(0.5));
    }
}
