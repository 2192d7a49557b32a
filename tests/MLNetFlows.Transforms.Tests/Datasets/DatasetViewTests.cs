using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Transforms.Tests.Datasets;

public sealed class DatasetViewTests
{
    private static readonly (IdxImages Images, byte[] Labels) TestSplit = FashionMnist.LoadRaw(FashionMnistSplit.Test);

    [Fact]
    public void FashionMnist_Schema_IsKeyLabelAndImageShapedPixels()
    {
        IDataView data = new MLContext(1).Data.LoadFashionMnist(FashionMnistSplit.Test);

        Assert.Equal(2, data.Schema.Count);
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), data.Schema[ImageDatasetColumns.Label].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), data.Schema[ImageDatasetColumns.Features].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        data.Schema[ImageDatasetColumns.Label].GetKeyValues(ref names);
        Assert.Equal(FashionMnist.ClassNames, names.DenseValues().Select(n => n.ToString()));
        Assert.Equal(10_000, data.GetRowCount());
    }

    [Fact]
    public void FashionMnist_FirstRows_AreTheIdxBytesAndLabels()
    {
        IDataView data = new MLContext(1).Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 3);

        float[][] pixels = [.. data.GetColumn<float[]>(ImageDatasetColumns.Features)];
        uint[] keys = [.. data.GetColumn<uint>(ImageDatasetColumns.Label)];
        Assert.Equal(3, pixels.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(TestSplit.Images.GetImage(i).ToArray().Select(b => (float)b), pixels[i]);
            Assert.Equal(TestSplit.Labels[i] + 1u, keys[i]);
        }
    }

    [Fact]
    public void FashionMnist_Limit_KeepsTheFirstRows_AndSplitsDiffer()
    {
        var ml = new MLContext(1);

        Assert.Equal(10_000, ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 50_000).GetRowCount());
        Assert.Equal(7, ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 7).GetRowCount());
        IDataView train = ml.Data.LoadFashionMnist(FashionMnistSplit.Train);
        Assert.Equal(60_000, train.GetRowCount());
        Assert.NotEqual(TestSplit.Images.GetImage(0).ToArray().Select(b => (float)b), train.GetColumn<float[]>(ImageDatasetColumns.Features).First());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 0));
        Assert.Contains("expected a limit of at least 1 row", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FashionMnist_MissingFiles_NameTheDebianPackage()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<FileNotFoundException>(() => new MLContext(1).Data.LoadFashionMnist(FashionMnistSplit.Test, directory: dir.Path));

        Assert.Contains("Install the Debian package 'dataset-fashion-mnist'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shuffled_VisitsEveryRowOnce_InAnotherOrder()
    {
        IDataView data = new MLContext(1).Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 200);

        IDataView shuffled = new MLContext(2).Data.ShuffleRows(data);

        uint[] original = [.. data.GetColumn<uint>(ImageDatasetColumns.Label)];
        uint[] reordered = [.. shuffled.GetColumn<uint>(ImageDatasetColumns.Label)];
        Assert.NotEqual(original, reordered);
        Assert.Equal(original.Order(), reordered.Order());
    }

    [Fact]
    public void KeyLabel_WorksWithMulticlassTrainersAndEvaluate_AndMapsBackToClassNames()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 400);
        var pipeline = ml.Transforms.NormalizeMinMax(ImageDatasetColumns.Features)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options { MaximumNumberOfIterations = 20 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

        IDataView scored = pipeline.Fit(data).Transform(data);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);

        Assert.InRange(metrics.MacroAccuracy, 0.5, 1.0); // chance is 0.1
        Assert.All(scored.GetColumn<string>("PredictedClass"), c => Assert.Contains(c, FashionMnist.ClassNames));
    }
}
