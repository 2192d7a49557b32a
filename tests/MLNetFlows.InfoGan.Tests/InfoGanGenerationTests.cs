using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>The generation direction as a transformer: code columns and a seed per row → image.</summary>
public sealed class InfoGanGenerationTests
{
    private static readonly CodeRow[] Rows =
    [
        new() { Category = 0, Continuous = [0.5f, -1f], Seed = 3 },
        new() { Category = 2, Continuous = [0f, 0f], Seed = 4 },
        new() { Category = 1, Continuous = [-2f, 1.5f], Seed = 3 },
    ];

    [Fact]
    public void EachRowGivesTheImageGenerateGivesForItsCodesAndSeedAndSurvivesSaveAndLoad()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var ml = new MLContext(1);
        using var infoGan = ml.Transforms.InfoGan(InfoGanEstimatorTests.Tiny()).Fit(ShapeRows.View(ml, 48));
        var generator = infoGan.AsGenerator(batchSize: 2);
        var codes = ml.Data.LoadFromEnumerable(Rows);

        var images = generator.Transform(codes).GetColumn<VBuffer<float>>(InfoGanGenerationColumns.DefaultOutputColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        var path = directory.File("generator.zip");
        ml.Model.Save(generator, codes.Schema, path);
        using var loaded = (InfoGanGenerationTransformer)InfoGanEstimatorTests.FreshContext().Model.Load(path, out _);
        var reloaded = loaded.Transform(codes).GetColumn<VBuffer<float>>(InfoGanGenerationColumns.DefaultOutputColumnName).Select(v => v.DenseValues().ToArray()).ToArray();

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 8, 8), generator.GetOutputSchema(codes.Schema)[InfoGanGenerationColumns.DefaultOutputColumnName].Type);
        Assert.Equal(3, images.Length);
        for (var i = 0; i < Rows.Length; i++)
        {
            var expected = infoGan.Generate((int)Rows[i].Category, Rows[i].Continuous, count: 1, seed: Rows[i].Seed).Pixels[0];
            Assert.Equal(64, images[i].Length);
            Assert.True(expected.Zip(images[i]).All(p => Math.Abs(p.First - p.Second) < 1e-3f), $"row {i} differs from Generate");
        }

        Assert.Equal(images, reloaded);
    }

    [Fact]
    public void MissingKeysAndMistypedColumnsAreRefusedWithTheExpectedType()
    {
        var ml = new MLContext(1);
        using var infoGan = ml.Transforms.InfoGan(InfoGanEstimatorTests.Tiny(epochs: 1)).Fit(ShapeRows.View(ml, 48));
        var generator = infoGan.AsGenerator();
        // LoadFromEnumerable stores class c as key c + 1 and a class out of range as the missing key 0.
        var missingKey = ml.Data.LoadFromEnumerable(new[] { new CodeRow { Category = 3, Continuous = [0f, 0f], Seed = 1 } });
        var plainCategory = ml.Data.LoadFromEnumerable(new[] { new { Category = 1u, Continuous = new float[2], Seed = 1 } });

        var missing = Assert.Throws<InvalidDataException>(() => generator.Transform(missingKey).GetColumn<VBuffer<float>>(InfoGanGenerationColumns.DefaultOutputColumnName).ToArray());
        var mistyped = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => generator.GetOutputSchema(plainCategory.Schema));

        Assert.Equal("column 'Category' has a missing key (0) in a row; give every row a class", missing.Message);
        Assert.Equal("Schema mismatch for input column 'Category': expected Key<UInt32, 0-2> (the class of categorical code 0, as the Category column of this model's inference), got UInt32. (Parameter 'inputSchema')", mistyped.Message);
    }

    /// <summary>A row of codes; LoadFromEnumerable reads <see cref="Category"/> as a 0-based class (key = class + 1).</summary>
    private sealed class CodeRow
    {
        [KeyType(3)]
        public uint Category { get; set; }

        [VectorType(2)]
        public float[] Continuous { get; set; } = [];

        public int Seed { get; set; }
    }
}
