using MLNetFlows.Data;
using MLNetFlows.Testing;

namespace MLNetFlows.Core.Tests.Pipeline;

public sealed class ColumnTransformContractTests
{
    public sealed class Input
    {
        public float A { get; set; }

        [VectorType(2)]
        public float[] B { get; set; } = [];

        public string Text { get; set; } = string.Empty;
    }

    public sealed class OnlyA
    {
        public float A { get; set; }
    }

    public sealed class WrongB
    {
        public float A { get; set; }

        public string B { get; set; } = string.Empty;
    }

    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Valid() => Ml.Data.LoadFromEnumerable(new[]
    {
        new Input { A = 1, B = [2, 3], Text = "x" },
        new Input { A = 4, B = [5, 6], Text = "y" },
    });

    [Fact]
    public void Concatenate_PassesContract()
    {
        var estimator = Ml.Transforms.Concatenate("Features", "A", "B");
        BadInput missing = new(Ml.Data.LoadFromEnumerable(new[] { new OnlyA { A = 1 } }), "B", "a numeric or boolean scalar or vector", null);
        BadInput mistyped = new(Ml.Data.LoadFromEnumerable(new[] { new WrongB { A = 1, B = "no" } }), "B", "a numeric or boolean scalar or vector", "String");

        EstimatorContract.Check(Ml, estimator, Valid(), missing, mistyped);

        float[][] features = [.. Ml.Data.CreateEnumerable<Output>(estimator.Fit(Valid()).Transform(Valid()), reuseRowObject: false).Select(o => o.Features)];
        Assert.Equal(new float[] { 4, 5, 6 }, features[1]);
    }

    [Fact]
    public void CopyColumns_PassesContract()
    {
        var estimator = Ml.Transforms.CopyColumns("Copy", "Text");
        BadInput missing = new(Ml.Data.LoadFromEnumerable(new[] { new WrongB() }), "Text", "any type", null);

        ColumnCopyingTransformerAssert(EstimatorContract.Check(Ml, estimator, Valid(), missing));
    }

    [Fact]
    public void Chain_WithCacheCheckpoint_FitsTransformsAndSavesAsOneModel()
    {
        var pipeline = Ml.Transforms.Concatenate("Features", "A", "B")
            .AppendCacheCheckpoint(Ml)
            .Append(Ml.Transforms.CopyColumns("F2", "Features"));

        TransformerChain<MLNetFlows.Transforms.ColumnCopyingTransformer> model = pipeline.Fit(Valid());
        using var stream = new MemoryStream();
        Ml.Model.Save(model, Valid().Schema, stream);
        stream.Position = 0;
        ITransformer loaded = Ml.Model.Load(stream, out _);

        Assert.IsType<TransformerChain<ITransformer>>(loaded);
        Assert.Equal(2, ((TransformerChain<ITransformer>)loaded).Count());
        DataViewComparer.AssertEqual(model.Transform(Valid()), loaded.Transform(Valid()), "chain reload");
    }

    private static void ColumnCopyingTransformerAssert(MLNetFlows.Transforms.ColumnCopyingTransformer transformer) =>
        Assert.Equal("Text", Assert.Single(transformer.Columns).InputColumnName);

    public sealed class Output
    {
        public float[] Features { get; set; } = [];
    }
}
