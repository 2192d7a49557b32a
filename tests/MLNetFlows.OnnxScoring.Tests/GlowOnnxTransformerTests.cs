using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring.Tests;

/// <summary>The batched ONNX Runtime scorer: TorchSharp's columns, names and types, in batches of any size.</summary>
public sealed class GlowOnnxTransformerTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(7)]
    [InlineData(1)]
    public void GivesTheColumnsTorchSharpComputedWithTheSameTypes(int batchSize)
    {
        var ml = new MLContext(0);
        var images = Fixture.Images(ml);
        using var scorer = ml.Transforms.ScoreGlowOnnx(Fixture.OnnxFile, batchSize: batchSize, threads: 1).Fit(images);
        var scored = scorer.Transform(images);

        Assert.Equal(NumberDataViewType.Single, scored.Schema["LogLikelihood"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["LevelBitsPerDim"].Type);
        Assert.Equal(["LogLikelihood", "BitsPerDim", "LevelBitsPerDim", "ComplexityBitsPerDim", "Score", "PredictedLabel"], scored.Schema.Skip(images.Schema.Count).Select(c => c.Name));
        var rows = ml.Data.CreateEnumerable<Row>(scored, reuseRowObject: false).ToArray();
        var labels = ml.Data.CreateEnumerable<LabelRow>(images, reuseRowObject: false).Select(r => r.Label).ToArray();
        Assert.Equal(Fixture.Rows.Count, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var expected = Fixture.Rows[i];
            Assert.Equal(expected.LogLikelihood, rows[i].LogLikelihood, 1e-3);
            Assert.Equal(expected.BitsPerDim, rows[i].BitsPerDim, 1e-5);
            Assert.Equal(expected.LevelBitsPerDim[0], rows[i].LevelBitsPerDim[0], 1e-5);
            Assert.Equal(expected.LevelBitsPerDim[1], rows[i].LevelBitsPerDim[1], 1e-5);
            Assert.Equal(expected.Score, rows[i].Score, 1e-5);
            Assert.Equal(expected.PredictedLabel, rows[i].PredictedLabel);
            Assert.Equal(labels[i], rows[i].Label);
        }
    }

    [Fact]
    public void ReadsTheDescriptionFromTheFile()
    {
        using var scorer = new MLContext(0).Transforms.ScoreGlowOnnx(Fixture.OnnxFile).Fit(Fixture.Images(new MLContext(0)));

        Assert.Equal(GlowOnnxKind.Anomaly, scorer.Description.Kind);
        Assert.Equal((1, 28, 28, 8, 2), (scorer.Description.Channels, scorer.Description.Height, scorer.Description.Width, scorer.Description.Bits, scorer.Description.Levels));
        Assert.Equal("Features", scorer.FeatureColumnName);
        Assert.NotNull(scorer.Description.Threshold);
        Assert.Equal(GlowOnnxScoreKind.BitsPerDim, scorer.Description.ScoreKind);
        Assert.Contains("ApplyOnnxModel", Assert.Throws<NotSupportedException>(() => scorer.GetRowToRowMapper(Fixture.Images(new MLContext(0)).Schema)).Message);
    }

    [Fact]
    public void ReadingOnlyPassThroughColumnsRunsNoModel()
    {
        var ml = new MLContext(0);
        var images = Fixture.Images(ml);
        using var scorer = ml.Transforms.ScoreGlowOnnx(Fixture.OnnxFile).Fit(images);
        var pixels = new float[784];
        pixels[0] = 999; // out of range: scoring this row would throw
        var bad = ml.Data.LoadFromEnumerable(new[] { new PixelRow { Features = pixels, Id = 3 } });

        var ids = ml.Data.CreateEnumerable<IdOnly>(scorer.Transform(bad), reuseRowObject: false).Select(r => r.Id).ToArray();

        Assert.Equal([3f], ids);
        Assert.Contains("holds the value 999", Assert.Throws<InvalidDataException>(() => ml.Data.CreateEnumerable<ScoreOnly>(scorer.Transform(bad), reuseRowObject: false).ToArray()).Message);
    }

    private sealed class Row
    {
        public uint Label { get; set; }

        public float LogLikelihood { get; set; }

        public float BitsPerDim { get; set; }

        public float[] LevelBitsPerDim { get; set; } = [];

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class LabelRow
    {
        public uint Label { get; set; }
    }

    private sealed class ScoreOnly
    {
        public float Score { get; set; }
    }

    private sealed class IdOnly
    {
        public float Id { get; set; }
    }

    private sealed class PixelRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public float Id { get; set; }
    }
}
