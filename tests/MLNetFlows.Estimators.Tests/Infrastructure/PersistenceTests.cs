using Microsoft.ML;

namespace MLNetFlows.Estimators.Tests.Infrastructure;

/// <summary>
/// Saving and loading a batched transformer (<see cref="ScaleTransformer"/>) with ML.NET's Model.Save/Load: in a fresh
/// context, inside a chain of ML.NET transforms, and in a fresh process. The adapter itself (manifest, entries, damaged
/// files) is tested in MLNetFlows.Transforms.Tests (Persistence/).
/// </summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void SatisfiesTheEstimatorContractWithLoadingInAFreshContext()
    {
        var ml = new MLContext(1);
        var data = ToyData.View(ml, 50);
        var missing = ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } });
        var wrongType = ml.Data.LoadFromEnumerable(new[] { new DoubleRow() });
        var wrongSize = ml.Data.LoadFromEnumerable(new[] { new WideRow() });

        var model = EstimatorContract.Check(ml, new ScaleEstimator("Features", ToyData.Weights, batchSize: 8), data, FreshContext,
            new BadInput(missing, "Features", "Vector<Single, 4>", null),
            new BadInput(wrongType, "Features", "Vector<Single, 4>", "Vector<Double"),
            new BadInput(wrongSize, "Features", "Vector<Single, 4>", "Vector<Single, 5>", DetectableFromShape: false));

        Assert.Equal(ToyData.Weights, model.Weights);
    }

    [Fact]
    public void AChainWithMLNetTransformsAroundOursLoadsInAFreshContextWithIdenticalOutput()
    {
        var ml = new MLContext(2);
        var data = ToyData.View(ml, 300);
        var chain = ml.Transforms.CopyColumns("Original", "Features")
            .Append(new ScaleEstimator("Features", ToyData.Weights, batchSize: 32))
            .Append(ml.Transforms.Concatenate("Both", "Scaled", "Original"))
            .Fit(data);
        var path = _directory.File("model.zip");
        ml.Model.Save(chain, data.Schema, path);

        var fresh = FreshContext();
        var loaded = fresh.Model.Load(path, out var schema);

        SchemaComparer.AssertSameColumns(data.Schema, schema, "loaded input schema");
        DataViewComparer.AssertEqual(chain.Transform(data), loaded.Transform(data), "fresh context");
    }

    [Fact]
    public void ASavedChainLoadsInAFreshProcessWithIdenticalOutput()
    {
        var ml = new MLContext(3);
        var data = ToyData.View(ml, 200);
        var chain = new ScaleEstimator("Features", ToyData.Weights, batchSize: 16).Append(ml.Transforms.CopyColumns("Copy", "Sum")).Fit(data);
        var path = _directory.File("model.zip");
        ml.Model.Save(chain, data.Schema, path);

        var child = FreshProcess.Score(ml, path, data, _directory.Path);

        DataViewComparer.AssertEqual(chain.Transform(data), child, "fresh process");
    }

    private static MLContext FreshContext()
    {
        var ml = new MLContext(seed: 1);
        ScaleTransformer.Register(ml.ComponentCatalog);
        return ml;
    }

    private sealed class DoubleRow
    {
        [Microsoft.ML.Data.VectorType(ToyData.Size)]
        public double[] Features { get; set; } = new double[ToyData.Size];
    }

    private sealed class WideRow
    {
        [Microsoft.ML.Data.VectorType(ToyData.Size + 1)]
        public float[] Features { get; set; } = new float[ToyData.Size + 1];
    }
}
