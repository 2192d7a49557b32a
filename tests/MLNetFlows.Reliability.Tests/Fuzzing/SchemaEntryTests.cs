using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Persistence;
using MLNetFlows.Reliability.Tests.Cli;
using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// The input-schema entry ("Schema") of a model zip is checked before ML.NET reads it. Was: mutation 303 of seed 1313
/// of the cINN (bench/reliability/fuzz-models.sh 500 1313 0 1 cinn) flipped one bit of the Features vector type's
/// dimension count in that entry (3 → 4 194 307); <c>mlContext.Model.Load</c> — and so every <c>mlnetflows</c>
/// command — then spun forever at full CPU in ML.NET 5.0.1's <c>Utils.ReadBinaryDataIntoSpan</c>, which loops while
/// the stream returns 0 bytes at its end, before any MLNetFlows loader ran.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class SchemaEntryTests(TinyModel glow, OtherModels others, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("glow", 0x40)]
    [InlineData("cinn", 0x40)]
    [InlineData("infogan", 0x40)]
    [InlineData("cinn", 0x7F)]
    public void ADimensionCountPastTheSchemaEntryIsRefusedInsteadOfHanging(string kind, byte highByte)
    {
        var (file, declared) = WithDimensionCountByte(others.Of(kind, glow), highByte);

        var clock = Stopwatch.StartNew();
        var load = Task.Run(() => new MLContext(0).Model.LoadChecked(new MemoryStream(file), out _));
        var finished = ((IAsyncResult)load).AsyncWaitHandle.WaitOne(HangLimit);

        Assert.True(finished, $"loading did not finish within {HangLimit.TotalSeconds:F0} s (the hang)");
        var error = Assert.IsType<ModelFormatException>(load.Exception?.GetBaseException());
        output.WriteLine($"{kind}: {clock.ElapsedMilliseconds} ms: {error.Message}");
        Assert.Contains("input schema (zip entry 'Schema'", error.Message, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"declares {declared:N0} dimensions"), error.Message, StringComparison.Ordinal);
        Assert.Contains("save the model again", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// The bench's finding itself: mutation 303 of seed 1313 of the tiny cINN (eight bit flips, one in the Schema entry),
    /// drawn as the bench drew it then (<c>Random(seed + index)</c>, before <see cref="FuzzRandom"/>).
    /// </summary>
    [Fact]
    public void TheCinnMutationThatHungTheBenchIsRefused()
    {
        var (kind, file) = (ModelMutation.BitFlip, ModelMutator.Mutate(others.ConditionalInn, ModelMutation.BitFlip, new Random(1313 + 303)));

        var load = Task.Run(() =>
        {
            var ml = new MLContext(0);
            ml.ComponentCatalog.RegisterMLNetFlows();
            (ml.Model.LoadChecked(new MemoryStream(file), out _) as IDisposable)?.Dispose();
        });
        var finished = ((IAsyncResult)load).AsyncWaitHandle.WaitOne(HangLimit);

        Assert.Equal(ModelMutation.BitFlip, kind);
        Assert.True(finished, $"loading did not finish within {HangLimit.TotalSeconds:F0} s (the hang)");
        var error = Assert.IsType<ModelFormatException>(load.Exception?.GetBaseException());
        output.WriteLine(error.Message);
        Assert.Contains("the vector type of column 'Features' declares 4,194,307 dimensions", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Mutation 9207 of seed 1313 of the tiny cINN as the bench drew it then (<c>Random(seed + index)</c>): a bit flip
    /// inside the compressed value of the Label column's KeyValues annotation in the Schema entry. ML.NET's binary loader
    /// sized its arrays from the damaged value and allocated 7.5 GB before it failed ("Unable to read beyond the end of
    /// the stream") — inside <c>LoadChecked</c> too, whose check ran ML.NET's reader on the entry.
    /// </summary>
    [Fact]
    public async Task ADamagedAnnotationValueIsRefusedWithoutAllocatingWhatItDeclares()
    {
        var file = ModelMutator.Mutate(others.ConditionalInn, ModelMutation.BitFlip, new Random(1313 + 9207));

        var load = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var ml = new MLContext(0);
                ml.ComponentCatalog.RegisterMLNetFlows();
                (ml.Model.LoadChecked(new MemoryStream(file), out _) as IDisposable)?.Dispose();
                return (Error: (Exception?)null, Allocated: GC.GetAllocatedBytesForCurrentThread() - before);
            }
            catch (Exception e)
            {
                return (Error: e, Allocated: GC.GetAllocatedBytesForCurrentThread() - before);
            }
        });
        Assert.True(((IAsyncResult)load).AsyncWaitHandle.WaitOne(HangLimit), $"loading did not finish within {HangLimit.TotalSeconds:F0} s");

        var (error, allocated) = await load;
        output.WriteLine($"{allocated:N0} bytes allocated: {error?.Message}");
        Assert.True(allocated < 64 << 20, $"loading allocated {allocated:N0} bytes for a {file.Length:N0}-byte file");
        var refusal = Assert.IsType<ModelFormatException>(error);
        Assert.Contains("annotation 'KeyValues' of column 'Label'", refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Input schemas with the annotations ML.NET's own transforms add — KeyValues (a text vector, and a float vector from a
    /// float key column), SlotNames (a text vector), IsNormalized (a boolean) — pass the annotation value check.
    /// </summary>
    [Fact]
    public void AnnotationsOfMLNetsTransformsPassTheCheck()
    {
        var ml = new MLContext(0);
        var rows = Enumerable.Range(0, 20).Select(i => new AnnotatedRow { Kind = $"kind {i % 3}", Size = i % 4, A = i, B = -i });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Kind")
            .Append(ml.Transforms.Conversion.MapValueToKey("Size"))
            .Append(ml.Transforms.Concatenate("Features", "A", "B"))
            .Append(ml.Transforms.NormalizeMinMax("Features"));
        var data = pipeline.Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var kinds = data.Schema.SelectMany(c => c.Annotations.Schema.Select(a => a.Name)).ToHashSet();
        Assert.Superset(new HashSet<string> { "KeyValues", "SlotNames", "IsNormalized" }, kinds);
        using var file = new MemoryStream();
        ml.Model.Save(new TransformerChain<ITransformer>(), data.Schema, file);

        ml.Model.LoadChecked(new MemoryStream(file.ToArray()), out var schema);

        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type.ToString())), schema.Select(c => (c.Name, c.Type.ToString())));
    }

    [Theory]
    [InlineData("glow", "score", "--data", "constant", "--limit", "4")]
    [InlineData("cinn", "evaluate", "cinn", "--limit", "4")]
    public void TheCliRefusesADamagedSchemaEntryInOneLine(string kind, params string[] command)
    {
        var path = _directory.File($"{kind}-schema.zip");
        var (file, declared) = WithDimensionCountByte(others.Of(kind, glow), 0x40);
        File.WriteAllBytes(path, file);

        var run = Tool.Run(TimeSpan.FromSeconds(60), [.. command, "--model", path, "--threads", "1", .. command[0] == "score" ? ["--output", _directory.File("s.csv")] : Array.Empty<string>()]);

        Assert.True(run.HungAfter is null, run.Describe());
        var line = run.AssertOneLineFailure();
        Assert.Contains("input schema (zip entry 'Schema'", line, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"declares {declared:N0} dimensions"), line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("glow")]
    [InlineData("cinn")]
    [InlineData("infogan")]
    public void AnUndamagedModelLoadsCheckedAsItLoads(string kind)
    {
        var bytes = others.Of(kind, glow);
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();

        var checkedModel = ml.Model.LoadChecked(new MemoryStream(bytes), out var checkedSchema);
        var plainModel = ml.Model.Load(new MemoryStream(bytes), out var plainSchema);

        Assert.Equal(plainModel.GetType(), checkedModel.GetType());
        Assert.Equal(plainSchema.Select(c => (c.Name, c.Type.ToString())), checkedSchema.Select(c => (c.Name, c.Type.ToString())));
        (checkedModel as IDisposable)?.Dispose();
        (plainModel as IDisposable)?.Dispose();
    }

    [Fact]
    public void ATruncatedSchemaEntryIsRefusedWithItsCause()
    {
        var entries = ModelMutator.Read(others.ConditionalInn);
        entries["Schema"] = entries["Schema"][..300];

        var error = Assert.Throws<ModelFormatException>(() => CheckedModelLoadingCatalog.CheckSchemaEntry(new MemoryStream(ModelMutator.Write(entries))));

        Assert.Contains("tail offset", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="model"/> with the third byte of the first float vector type's dimension count in its Schema entry
    /// set to <paramref name="highByte"/>, and the count it then declares.
    /// </summary>
    private static (byte[] File, int Count) WithDimensionCountByte(byte[] model, byte highByte)
    {
        var entries = ModelMutator.Read(model);
        var schema = entries["Schema"].ToArray();
        var codec = "\u0007VBuffer"u8.ToArray();
        var item = "\u0006Single\0"u8.ToArray();
        var count = -1;
        for (var at = schema.AsSpan().IndexOf(codec); at >= 0 && count < 0; at = Next(schema, codec, at))
        {
            // the codec's parameter size (one byte here), then the item codec, then the dimension count
            if (schema.AsSpan(at + codec.Length + 1).StartsWith(item))
            {
                count = at + codec.Length + 1 + item.Length;
            }
        }

        Assert.True(count >= 0, "no float vector type in the Schema entry");
        Assert.InRange(BinaryPrimitives.ReadInt32LittleEndian(schema.AsSpan(count)), 1, 255);
        schema[count + 2] = highByte;
        entries["Schema"] = schema;
        return (ModelMutator.Write(entries), BinaryPrimitives.ReadInt32LittleEndian(schema.AsSpan(count)));
    }

    private static int Next(byte[] bytes, byte[] pattern, int after)
    {
        var next = bytes.AsSpan(after + 1).IndexOf(pattern);
        return next < 0 ? -1 : after + 1 + next;
    }

    private sealed class AnnotatedRow
    {
        public string Kind { get; set; } = "";

        public float Size { get; set; }

        public float A { get; set; }

        public float B { get; set; }
    }
}
