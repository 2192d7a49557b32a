using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring.Tests;

/// <summary>ML.NET's own OnnxTransformer (one ONNX Runtime run per row) on the exported detector.</summary>
public sealed class ApplyOnnxModelTests
{
    [Fact]
    public void ApplyOnnxModelGivesTheColumnsTorchSharpComputed()
    {
        var ml = new MLContext(0);
        var images = Fixture.Images(ml);
        var pipeline = ml.Transforms.ApplyOnnxModel(Fixture.OnnxFile);
        using var model = pipeline.Fit(images);
        var scored = model.Transform(images);

        // ApplyOnnxModel keeps the batch dimension as 1: an [N] output is Vector<Single, 1> (Vector<Boolean, 1>) where
        // GlowTransformer has scalars, and [N, L] is Vector<Single, 1, L> (the same L values).
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1), scored.Schema["LogLikelihood"].Type);
        Assert.Equal(new VectorDataViewType(BooleanDataViewType.Instance, 1), scored.Schema["PredictedLabel"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 2), scored.Schema["LevelBitsPerDim"].Type);
        var rows = ml.Data.CreateEnumerable<Row>(scored, reuseRowObject: false).ToArray();
        Assert.Equal(Fixture.Rows.Count, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var expected = Fixture.Rows[i];
            Assert.Equal(expected.LogLikelihood, rows[i].LogLikelihood[0], 1e-3);
            Assert.Equal(expected.BitsPerDim, rows[i].BitsPerDim[0], 1e-5);
            Assert.Equal(expected.LevelBitsPerDim[0], rows[i].LevelBitsPerDim[0], 1e-5);
            Assert.Equal(expected.LevelBitsPerDim[1], rows[i].LevelBitsPerDim[1], 1e-5);
            Assert.Equal(expected.Score, rows[i].Score[0], 1e-5);
            Assert.Equal(expected.PredictedLabel, rows[i].PredictedLabel[0]);
        }

        Assert.Contains(rows, r => r.PredictedLabel[0]);
        Assert.Contains(rows, r => !r.PredictedLabel[0]);
    }

    [Fact]
    public void ApplyOnnxModelAlsoReadsAFlatPixelColumn()
    {
        var ml = new MLContext(0);
        var images = Fixture.Images(ml);
        var flat = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<FlatRow>(images, reuseRowObject: false).Take(20).ToArray());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 784), flat.Schema["Features"].Type);

        using var model = ml.Transforms.ApplyOnnxModel(Fixture.OnnxFile).Fit(flat);
        var rows = ml.Data.CreateEnumerable<Row>(model.Transform(flat), reuseRowObject: false).ToArray();

        Assert.Equal(20, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(Fixture.Rows[i].LogLikelihood, rows[i].LogLikelihood[0], 1e-3);
        }
    }

    private sealed class FlatRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Row
    {
        public float[] LogLikelihood { get; set; } = [];

        public float[] BitsPerDim { get; set; } = [];

        public float[] LevelBitsPerDim { get; set; } = [];

        public float[] Score { get; set; } = [];

        public bool[] PredictedLabel { get; set; } = [];
    }
}
