using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Estimators.Tests.Infrastructure;

public sealed class BatchedTransformerTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(1)]
    [InlineData(2000)]
    [InlineData(3000)]
    public void TwoThousandRowsMakeOneModelCallPerBatch(int batchSize)
    {
        var ml = new MLContext(1);
        var data = ToyData.View(ml, 2000);
        var model = new ScaleTransformer("Features", ToyData.Weights, batchSize);

        var rows = ml.Data.CreateEnumerable<ToyData.Scored>(model.Transform(data), reuseRowObject: false).ToArray();

        Assert.Equal(2000, rows.Length);
        Assert.Equal((2000 + batchSize - 1) / batchSize, model.ModelCalls);
        Assert.All(rows, r => Assert.Equal(ToyData.Scale(r.Features), r.Scaled));
        Assert.All(rows, r => Assert.Equal(ToyData.Scale(r.Features).Sum(), r.Sum, 5));
        Assert.Equal(Enumerable.Range(0, 2000), rows.Select(r => r.Id));
    }

    [Fact]
    public void EachUpstreamRowIsComputedOnceAndReadThroughOneCursor()
    {
        // Upstream: a counting source → CustomMapping (an "expensive" per-row step, e.g. image decoding) → the toy.
        // The toy reads Features for the model AND passes Features and Id through: one upstream read per row each.
        var ml = new MLContext(2);
        var source = new CountingDataView(ml.Data.LoadFromEnumerable(Enumerable.Range(0, 2000).Select(i => new Source { Id = i })));
        var expensiveCalls = 0;
        var expensive = ml.Transforms.CustomMapping<Source, Expanded>((s, e) =>
        {
            Interlocked.Increment(ref expensiveCalls);
            e.Features = [s.Id, s.Id * 0.5f, -s.Id, 1f / (s.Id + 1)];
        }, contractName: null).Fit(source);
        var model = new ScaleTransformer("Features", ToyData.Weights, batchSize: 64);

        var scored = model.Transform(expensive.Transform(source));
        var rows = ml.Data.CreateEnumerable<ToyData.Scored>(scored, reuseRowObject: false).ToArray();

        Assert.Equal(2000, rows.Length);
        Assert.Equal(2000, expensiveCalls);
        Assert.Equal(1, source.CursorsOpened);
        Assert.Equal(2000, source.Reads(nameof(Source.Id)));
        Assert.Equal(32, model.ModelCalls);
        Assert.All(rows, r => Assert.Equal(ToyData.Scale([r.Id, r.Id * 0.5f, -r.Id, 1f / (r.Id + 1)]), r.Scaled));
    }

    [Fact]
    public void ReadingOnlyPassThroughColumnsRunsNoModelAndReadsOnlyThoseColumns()
    {
        var ml = new MLContext(3);
        var source = new CountingDataView(ToyData.View(ml, 100));
        var model = new ScaleTransformer("Features", ToyData.Weights, batchSize: 16);
        var scored = model.Transform(source);

        using (var cursor = scored.GetRowCursor([scored.Schema["Id"]]))
        {
            var getter = cursor.GetGetter<int>(scored.Schema["Id"]);
            var expected = 0;
            while (cursor.MoveNext())
            {
                var id = 0;
                getter(ref id);
                Assert.Equal(expected++, id);
            }
        }

        Assert.Equal(0, model.ModelCalls);
        Assert.Equal(100, source.Reads("Id"));
        Assert.Equal(0, source.Reads("Features"));
    }

    [Fact]
    public void TransformIsLazyAndEveryPassRecomputes()
    {
        var ml = new MLContext(4);
        var model = new ScaleTransformer("Features", ToyData.Weights, batchSize: 10);
        var scored = model.Transform(ToyData.View(ml, 25));

        Assert.Equal(0, model.ModelCalls);
        _ = ml.Data.CreateEnumerable<ToyData.Scored>(scored, false).ToArray();
        _ = ml.Data.CreateEnumerable<ToyData.Scored>(scored, false).ToArray();

        Assert.Equal(6, model.ModelCalls);
        Assert.Equal(25, scored.GetRowCount());
    }

    [Fact]
    public void GettersOutsideARowFailClearly()
    {
        var ml = new MLContext(5);
        var scored = new ScaleTransformer("Features", ToyData.Weights, batchSize: 4).Transform(ToyData.View(ml, 3));
        using var cursor = scored.GetRowCursor(scored.Schema);
        var sum = cursor.GetGetter<float>(scored.Schema["Sum"]);
        var value = 0f;

        var before = Assert.Throws<InvalidOperationException>(() => sum(ref value));
        while (cursor.MoveNext())
        {
        }

        var after = Assert.Throws<InvalidOperationException>(() => sum(ref value));
        var wrongType = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<double>(scored.Schema["Sum"]));

        Assert.StartsWith("the cursor is not on a row", before.Message);
        Assert.Equal(before.Message, after.Message);
        Assert.Contains("expected type: 'System.Single'", wrongType.Message);
    }

    [Fact]
    public void PredictionEngineMakesOneModelCallPerPrediction()
    {
        var ml = new MLContext(6);
        var model = new ScaleTransformer("Features", ToyData.Weights, batchSize: 64);
        using var engine = ml.Model.CreatePredictionEngine<ToyData.Row, ToyData.Scored>(model);

        var first = engine.Predict(new ToyData.Row { Id = 7, Features = [1, 2, 3, 4] });
        var second = engine.Predict(new ToyData.Row { Id = 8, Features = [-1, 0, 1, 2] });

        Assert.Equal(ToyData.Scale([1, 2, 3, 4]), first.Scaled);
        Assert.Equal(ToyData.Scale([1, 2, 3, 4]).Sum(), first.Sum, 5);
        Assert.Equal(ToyData.Scale([-1, 0, 1, 2]), second.Scaled);
        Assert.Equal(8, second.Id);
        Assert.Equal(2, model.ModelCalls);
    }

    [Fact]
    public void PredictionEngineWorksThroughAChainWithMLNetTransforms()
    {
        var ml = new MLContext(7);
        var data = ToyData.View(ml, 10);
        var pipeline = ml.Transforms.CopyColumns("Original", "Features")
            .Append(new ScaleEstimator("Features", ToyData.Weights, batchSize: 4))
            .Append(ml.Transforms.Concatenate("Both", "Scaled", "Original"));
        var chain = pipeline.Fit(data);
        using var engine = ml.Model.CreatePredictionEngine<ToyData.Row, BothRow>(chain);

        var prediction = engine.Predict(new ToyData.Row { Features = [1, 2, 3, 4] });

        Assert.Equal([.. ToyData.Scale([1, 2, 3, 4]), 1, 2, 3, 4], prediction.Both);
    }

    [Fact]
    public void ImagesPassedThroughABatchStayValidAndEachReadGetsItsOwnImage()
    {
        // ResizeImages hands out its input image itself when the size matches, and LoadImagesSafely disposes that image
        // at the next row: a batch must keep copies, or every image but the batch's last is disposed when served.
        using var folder = new TempDirectory();
        var rows = ToyData.Rows(10);
        foreach (var row in rows)
        {
            File.WriteAllBytes(folder.File($"{row.Id}.png"), PngEncoding.Encode([(byte)(10 * row.Id), 0, 0, 255], 2, 2, 1));
        }

        var ml = new MLContext(8);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new ImageRow { Id = r.Id, Path = $"{r.Id}.png", Features = r.Features }));
        var images = ml.Transforms.LoadImagesSafely("Image", folder.Path, "Path").Append(ml.Transforms.ResizeImages("Image", 2, 2)).Fit(data).Transform(data);
        var scored = new ScaleTransformer("Features", ToyData.Weights, batchSize: 4).Transform(images);

        using var cursor = scored.GetRowCursor([scored.Schema["Image"], scored.Schema["Id"]]);
        var getImage = cursor.GetGetter<MLImage>(scored.Schema["Image"]);
        var getId = cursor.GetGetter<int>(scored.Schema["Id"]);
        var seen = 0;
        while (cursor.MoveNext())
        {
            MLImage first = null!, second = null!;
            var id = 0;
            getImage(ref first);
            getImage(ref second);
            getId(ref id);
            Assert.NotSame(first, second);
            second.Dispose();
            Assert.Equal((2, 2), (first.Width, first.Height));
            Assert.Equal(10 * id, first.Pixels[0]); // gray: B = G = R
            Assert.Equal(Path.Combine(folder.Path, $"{id}.png"), first.Tag);
            first.Dispose();
            seen++;
        }

        Assert.Equal(10, seen);
    }

    private sealed class ImageRow
    {
        public int Id { get; set; }

        public string Path { get; set; } = string.Empty;

        [VectorType(ToyData.Size)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Source
    {
        public int Id { get; set; }
    }

    private sealed class Expanded
    {
        [VectorType(ToyData.Size)]
        public float[] Features { get; set; } = [];
    }

    private sealed class BothRow
    {
        [VectorType(2 * ToyData.Size)]
        public float[] Both { get; set; } = [];
    }
}
