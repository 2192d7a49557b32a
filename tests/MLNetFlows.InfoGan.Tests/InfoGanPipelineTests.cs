using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// The code columns as the rest of an ML.NET pipeline uses them: Category as clusters for
/// <c>mlContext.Clustering.Evaluate</c>, the probabilities and the continuous codes as a classifier's features; the
/// generated images as ImageAnalytics' <c>MLImage</c>.
/// </summary>
public sealed class InfoGanPipelineTests
{
    [Fact]
    public void CategoryServesAsTheClustersOfClusteringEvaluate()
    {
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 96);
        using var infoGan = ml.Transforms.InfoGan(InfoGanEstimatorTests.Tiny(epochs: 4)).Fit(data);
        var scored = infoGan.Transform(data);
        // ML.NET's clustering scores are distances (the assigned cluster is the nearest): 1 − probability.
        // OwnCategory: the Category key's value as a number, to check which cluster Evaluate assigns each row to.
        var clusters = ml.Transforms.CustomMapping<ProbabilityRow, DistanceRow>(
                (row, score) => (score.Score, score.OwnCategory) = ([.. row.CategoryProbabilities.Select(p => 1 - p)], row.Category), contractName: null)
            .Append(ml.Transforms.Conversion.ConvertType("Label", nameof(ShapeRows.Row.Shape), DataKind.Single))
            .Fit(scored).Transform(scored);
        var categories = scored.GetColumn<uint>(InfoGanColumns.Category).ToArray();

        var byShape = ml.Clustering.Evaluate(clusters, labelColumnName: "Label", scoreColumnName: "Score", featureColumnName: "Features");
        var byItself = ml.Clustering.Evaluate(clusters, labelColumnName: "OwnCategory", scoreColumnName: "Score", featureColumnName: "Features");

        Assert.True(categories.Distinct().Count() > 1, "the test needs more than one cluster in use");
        Assert.InRange(byShape.NormalizedMutualInformation, 0, 1);
        Assert.True(double.IsFinite(byShape.DaviesBouldinIndex) && double.IsFinite(byShape.AverageDistance));
        // Evaluate assigns each row to the cluster the Category key names: its clusters explain Category completely.
        Assert.Equal(1, byItself.NormalizedMutualInformation, 6);
    }

    [Fact]
    public void TheProbabilitiesAndTheContinuousCodesTrainAClassifierThatBeatsChance()
    {
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 96);
        using var infoGan = ml.Transforms.InfoGan(InfoGanEstimatorTests.Tiny(epochs: 6)).Fit(data);
        var codes = infoGan.Transform(data);
        var values = codes.GetColumn<VBuffer<float>>(InfoGanColumns.Continuous).SelectMany(v => v.DenseValues())
            .Concat(codes.GetColumn<VBuffer<float>>(InfoGanColumns.Category + InfoGanColumns.ProbabilitiesSuffix).SelectMany(v => v.DenseValues())).ToArray();
        var pipeline = ml.Transforms.Concatenate("CodeFeatures", InfoGanColumns.Category + InfoGanColumns.ProbabilitiesSuffix, InfoGanColumns.Continuous)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(ShapeRows.Row.Shape)))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "CodeFeatures"));

        var metrics = ml.MulticlassClassification.Evaluate(pipeline.Fit(codes).Transform(codes));

        Assert.Equal(96 * 5, values.Length);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        Assert.True(metrics.MicroAccuracy > 0.4, $"accuracy {metrics.MicroAccuracy:F3} from the codes, chance is 1/3");
    }

    [Fact]
    public void GeneratedImagesComeAlsoAsMLImagesWithTheSamePixels()
    {
        using var leaks = new LeakCheck();
        var ml = new MLContext(1);
        using var infoGan = ml.Transforms.InfoGan(InfoGanEstimatorTests.Tiny(epochs: 1)).Fit(ShapeRows.View(ml, 48));
        var generator = infoGan.AsGenerator(batchSize: 2);
        var codes = ml.Data.LoadFromEnumerable(new[]
        {
            new CodeRow { Category = 0, Continuous = [0.5f, -1f], Seed = 3 },
            new CodeRow { Category = 2, Continuous = [0f, 0f], Seed = 4 },
            new CodeRow { Category = 1, Continuous = [-2f, 1.5f], Seed = 5 },
        });
        var generated = generator.Transform(codes);
        var back = ml.Transforms.ExtractPixels("Back", InfoGanGenerationColumns.DefaultImageColumnName, colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red)
            .Fit(generated).Transform(generated);

        var pixels = back.GetColumn<VBuffer<float>>(InfoGanGenerationColumns.DefaultOutputColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        var extracted = back.GetColumn<VBuffer<float>>("Back").Select(v => v.DenseValues().ToArray()).ToArray();

        Assert.Equal(new ImageDataViewType(8, 8), generator.GetOutputSchema(codes.Schema)[InfoGanGenerationColumns.DefaultImageColumnName].Type);
        Assert.Equal(3, extracted.Length);
        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(pixels[i].Select(v => MathF.Round(v)), extracted[i]);
        }
    }

    [Fact]
    public void PixelsAndImageCannotShareAColumn()
    {
        var ml = new MLContext(1);
        using var infoGan = ml.Transforms.InfoGan(InfoGanEstimatorTests.Tiny(epochs: 1)).Fit(ShapeRows.View(ml, 48));

        var e = Assert.Throws<ArgumentException>(() => infoGan.AsGenerator(new InfoGanGenerationColumns(OutputColumnName: "Image", ImageColumnName: "Image")));

        Assert.Equal("OutputColumnName and ImageColumnName are both 'Image'; give the pixels and the image different columns (Parameter 'ImageColumnName')", e.Message);
    }

    private sealed class ProbabilityRow
    {
        [KeyType(3)]
        public uint Category { get; set; }

        [VectorType(3)]
        public float[] CategoryProbabilities { get; set; } = [];
    }

    private sealed class DistanceRow
    {
        [VectorType(3)]
        public float[] Score { get; set; } = [];

        public float OwnCategory { get; set; }
    }

    private sealed class CodeRow
    {
        [KeyType(3)]
        public uint Category { get; set; }

        [VectorType(2)]
        public float[] Continuous { get; set; } = [];

        public int Seed { get; set; }
    }
}
