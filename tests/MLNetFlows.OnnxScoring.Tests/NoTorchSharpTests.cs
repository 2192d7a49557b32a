using System.Reflection;
using Microsoft.ML;

namespace MLNetFlows.OnnxScoring.Tests;

/// <summary>The scoring-only deployment needs no libtorch: nothing here references or loads TorchSharp.</summary>
public sealed class NoTorchSharpTests
{
    [Fact]
    public void NoTorchSharpAssemblyIsReferencedLoadedOrDeployed()
    {
        var ml = new MLContext(0);
        var images = Fixture.Images(ml);
        using var scorer = ml.Transforms.ScoreGlowOnnx(Fixture.OnnxFile).Fit(images);
        using var perRow = ml.Transforms.ApplyOnnxModel(Fixture.OnnxFile).Fit(images);
        Assert.Equal(Fixture.Rows.Count, ml.Data.CreateEnumerable<Scored>(scorer.Transform(images), false).Count());
        Assert.Equal(Fixture.Rows.Count, ml.Data.CreateEnumerable<ScoredVector>(perRow.Transform(images), false).Count());

        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => IsTorch(a.GetName()));
        Assert.DoesNotContain(References(typeof(NoTorchSharpTests).Assembly), IsTorch);
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MLNetFlows.OnnxScoring.Tests.deps.json"));
        Assert.DoesNotContain("TorchSharp", deps, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MLNetFlows.Models", deps, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(AppContext.BaseDirectory, "*torch*", SearchOption.AllDirectories));
        Assert.Contains("onnxruntime", deps, StringComparison.Ordinal);
    }

    private static bool IsTorch(AssemblyName name) =>
        name.Name!.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase) || name.Name == "MLNetFlows.Models";

    /// <summary>Every assembly reachable from <paramref name="root"/> through references that resolve here.</summary>
    private static IEnumerable<AssemblyName> References(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(reference.FullName))
                {
                    continue;
                }

                yield return reference;
                if (!IsTorch(reference) && File.Exists(Path.Combine(AppContext.BaseDirectory, reference.Name + ".dll")))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    private sealed class ScoredVector
    {
        public float[] Score { get; set; } = [];
    }
}
