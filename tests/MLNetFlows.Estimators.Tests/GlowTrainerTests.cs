using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Estimators.Tests;

public sealed class GlowTrainerTests
{
    internal static GlowTrainerOptions Tiny() => new()
    {
        ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16,
        BatchSize = 32, NumberOfEpochs = 2, WarmupSteps = 4, LearningRate = 2e-3, ScoringBatchSize = 50, ValidationFraction = 0.25,
    };

    internal static MLContext FreshContext()
    {
        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterMLNetFlows();
        return ml;
    }

    [Fact]
    public void SatisfiesTheEstimatorContract()
    {
        var ml = new MLContext(1);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(96));
        var wrongType = ml.Data.LoadFromEnumerable(new[] { new FashionMnistRows.DoubleRow { Features = new double[784] } });
        var wrongSize = ml.Data.LoadFromEnumerable(new[] { new WideRow() });
        var expected = GlowColumns.ExpectedFeatures(1, 28, 28);

        using var transformer = EstimatorContract.Check(ml, ml.Transforms.Glow(Tiny()), data, FreshContext,
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } }), "Features", expected, null),
            new BadInput(wrongType, "Features", expected, "Double"),
            new BadInput(wrongSize, "Features", expected, "Vector<Single, 785>", DetectableFromShape: false));

        Assert.Equal(2, transformer.TrainingHistory.Count);
    }

    [Fact]
    public void ScoresAreConsistentReportedPerOriginalPixelAndIndependentOfTheBatch()
    {
        var ml = new MLContext(2);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(64));
        using var model = ml.Transforms.Glow(Tiny()).Fit(data);
        Scored[] scored;
        using (new LeakCheck())
        {
            scored = ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).ToArray();
        }

        var onePerCall = new GlowTransformer(model.Network, model.FeatureColumnName, outputLatent: false, scoringBatchSize: 1, []); // shares model's weights
        var single = ml.Data.CreateEnumerable<Scored>(onePerCall.Transform(data), reuseRowObject: false).ToArray();

        Assert.Equal(64, scored.Length);
        foreach (var row in scored)
        {
            Assert.Equal(-row.LogLikelihood / (784 * Math.Log(2)), row.BitsPerDim, 3);
            Assert.Equal(2, row.LevelBitsPerDim.Length);
            Assert.True(row.BitsPerDim is > 0 and < 10, $"bits/dim {row.BitsPerDim}");
        }

        Assert.Equal(scored.Select(r => r.BitsPerDim), single.Select(r => r.BitsPerDim), (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void TrainsAndScoresTheDataSetPixelColumnAndPredictsOneRowLikeTransform()
    {
        var ml = new MLContext(7);
        var data = ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 64);
        var options = Tiny();
        options.OutputLatent = true;
        using var model = ml.Transforms.Glow(options).Fit(data);

        var first = ml.Data.CreateEnumerable<ScoredWithLatent>(model.Transform(data), reuseRowObject: false).First();
        var pixels = ml.Data.CreateEnumerable<ImageRow>(data, reuseRowObject: false).First();
        using var engine = ml.Model.CreatePredictionEngine<FashionMnistRows.Row, ScoredWithLatent>(model, new PredictionEngineOptions { OwnsTransformer = false });
        var predicted = engine.Predict(new FashionMnistRows.Row { Features = pixels.Features });

        Assert.Equal(first.BitsPerDim, predicted.BitsPerDim, 4);
        Assert.Equal(784, predicted.Latent.Length);
    }

    [Fact]
    public void PixelsOutsideTheByteRangeAreAClearError()
    {
        var ml = new MLContext(3);
        var train = FashionMnistRows.View(ml, FashionMnistRows.Load(32));
        var options = Tiny();
        options.NumberOfEpochs = 1;
        options.ValidationFraction = 0;
        using var model = ml.Transforms.Glow(options).Fit(train);
        var bad = FashionMnistRows.Load(1);
        bad[0].Features[5] = 1.5e3f;

        var error = Assert.Throws<InvalidDataException>(() => ml.Data.CreateEnumerable<Scored>(model.Transform(FashionMnistRows.View(ml, bad)), false).ToArray());
        var fitError = Assert.Throws<InvalidDataException>(() => ml.Transforms.Glow(options).Fit(FashionMnistRows.View(ml, bad)));

        Assert.Equal("column 'Features' holds the value 1500; Glow expects pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)", error.Message);
        Assert.Equal("row 0 of column 'Features' holds 1500; Glow trains on pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)", fitError.Message);
    }

    [Fact]
    public void DequantizedBitsPerDimIsSeededAndCloseToTheBinCentreScores()
    {
        var ml = new MLContext(6);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(64)); // 64 rows in batches of 50: a partial batch too
        using var model = ml.Transforms.Glow(Tiny()).Fit(data);
        var centres = ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).Average(r => r.BitsPerDim);

        var bound = model.EvaluateBitsPerDim(data, seed: 7);
        var again = model.EvaluateBitsPerDim(data, seed: 7);
        var otherNoise = model.EvaluateBitsPerDim(data, seed: 8);

        Assert.Equal(bound, again); // the same seed gives the same noise
        Assert.NotEqual(bound, otherNoise);
        Assert.True(Math.Abs(bound - otherNoise) < 0.05, $"seeds 7 and 8: {bound} vs {otherNoise}"); // noise stays within each bin
        Assert.True(Math.Abs(bound - centres) < 0.5, $"dequantised {bound} vs bin centres {centres}");
        var missing = Assert.Throws<ArgumentException>(() => model.EvaluateBitsPerDim(ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } })));
        Assert.StartsWith("the data has no column 'Features' (the pixel column this model scores)", missing.Message);
    }

    [Fact]
    public void ImportanceWeightingTightensTheBoundAndEqualsItAtOneSample()
    {
        var ml = new MLContext(6);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(64));
        var options = Tiny();
        options.NumberOfBits = 1; // two wide bins: the density varies across each, so the bound has slack to recover
        using var model = ml.Transforms.Glow(options).Fit(data);

        var plain = model.EvaluateBitsPerDim(data, seed: 7);
        var oneSample = model.EvaluateBitsPerDim(data, seed: 7, samples: 1);
        var weighted = Enumerable.Range(7, 3).Select(seed => model.EvaluateBitsPerDim(data, seed, samples: 16)).ToArray();
        var plainSpread = Enumerable.Range(7, 3).Select(seed => model.EvaluateBitsPerDim(data, seed)).ToArray();

        Assert.Equal(plain, oneSample);
        // Every 16-draw estimate lies below every 1-draw one: the gap (Jensen) exceeds the noise of the estimates.
        Assert.True(weighted.Max() < plainSpread.Min(), $"16 draws {string.Join(", ", weighted)} vs 1 draw {string.Join(", ", plainSpread)}");
        Assert.True(plainSpread.Min() - weighted.Max() < 0.5, $"16 draws {string.Join(", ", weighted)} vs 1 draw {string.Join(", ", plainSpread)}");
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EvaluateBitsPerDim(data, samples: 0));
    }

    [Fact]
    public void BadOptionsFailAtTheCatalogCall()
    {
        var ml = new MLContext(4);

        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Glow(imageHeight: 28, imageWidth: 28, batchSize: 0));

        Assert.StartsWith("BatchSize must be at least 1, got 0", error.Message);
    }

    [Fact]
    public void GeneratesEncodesDecodesAndInterpolates()
    {
        var ml = new MLContext(5);
        var rows = FashionMnistRows.Load(64);
        using var model = ml.Transforms.Glow(Tiny()).Fit(FashionMnistRows.View(ml, rows));

        var samples = model.Sample(6, temperature: 0.7, seed: 11);
        var again = model.Sample(6, temperature: 0.7, seed: 11);
        var latent = model.Encode(rows[0].Features);
        var decoded = model.Decode([latent]).Pixels[0];
        var path = model.Interpolate(rows[0].Features, rows[1].Features, steps: 5);
        var png = samples.ToPngGrid(columns: 3);

        Assert.Equal(6, samples.Pixels.Count);
        Assert.All(samples.Pixels, p => Assert.All(p, v => Assert.InRange(v, 0, 255)));
        Assert.Equal(samples.Pixels.SelectMany(p => p), again.Pixels.SelectMany(p => p));
        Assert.Equal(784, latent.Length);
        Assert.Equal(rows[0].Features, decoded);
        Assert.Equal(5, path.Pixels.Count);
        Assert.Equal(rows[1].Features, path.Pixels[^1]);
        Assert.Equal((2 + (3 * 30), 2 + (2 * 30)), PngSize(png));
    }

    /// <summary>Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).</summary>
    internal static (int Width, int Height) PngSize(byte[] png) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

    private sealed class Scored
    {
        public float LogLikelihood { get; set; }

        public float BitsPerDim { get; set; }

        [VectorType(2)]
        public float[] LevelBitsPerDim { get; set; } = [];
    }

    private sealed class ScoredWithLatent
    {
        public float BitsPerDim { get; set; }

        [VectorType(784)]
        public float[] Latent { get; set; } = [];
    }

    private sealed class ImageRow
    {
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    private sealed class WideRow
    {
        [VectorType(785)]
        public float[] Features { get; set; } = new float[785];
    }
}
