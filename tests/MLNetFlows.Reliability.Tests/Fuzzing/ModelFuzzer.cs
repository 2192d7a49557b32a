using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Loads seeded mutations of a model zip with <c>mlContext.Model.LoadChecked</c> (after <c>RegisterMLNetFlows</c>): each must be
/// refused with a clear error or load and then score a few rows. Also measures the managed bytes each load allocates,
/// which must stay within what the file's content warrants.
/// </summary>
internal static class ModelFuzzer
{
    /// <summary>Managed bytes a load and a few rows' scoring may allocate whatever the file (ML.NET's own set-up, the model's buffers).</summary>
    public const long AllocationAllowance = 48L << 20;

    /// <summary>
    /// How many times its file's size a load may allocate besides: the entries inflated (weights are float32, which
    /// deflate barely shrinks), their copies, the tensors. A decompression bomb — a small file whose entries inflate
    /// to far more — must be refused before it costs this much.
    /// </summary>
    public const int AllocationFactor = 16;

    /// <summary>The mutation of file <paramref name="index"/>: kind (index mod kinds) drawn from <see cref="FuzzRandom.For"/>(seed, index).</summary>
    /// <param name="model">The valid model zip.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="index">The file's index in the run.</param>
    /// <param name="openDefects">Whether to draw the mutations that reach open defects (see <see cref="ModelMutator.Mutate"/>).</param>
    public static (ModelMutation Kind, byte[] Bytes) Mutation(byte[] model, int seed, int index, bool openDefects = true)
    {
        var kinds = Enum.GetValues<ModelMutation>();
        var kind = kinds[index % kinds.Length];
        return (kind, ModelMutator.Mutate(model, kind, FuzzRandom.For(seed, index), openDefects));
    }

    /// <summary>
    /// Loads <paramref name="count"/> mutations of <paramref name="model"/>; <paramref name="rows"/> are scored by any that
    /// loads. <paramref name="progress"/>, when given, is called after each file with the number done, the tally so far and
    /// the largest allocation so far.
    /// </summary>
    public static (FuzzTally Tally, long MaxAllocated, string MaxAllocatedFile) Run(byte[] model, int count, int seed, IDataView rows, TimeSpan perFileLimit, bool openDefects = true, Action<int, FuzzTally, long>? progress = null)
    {
        var tally = new FuzzTally();
        long maxAllocated = 0;
        var maxFile = string.Empty;
        for (var i = 0; i < count; i++)
        {
            var (kind, bytes) = Mutation(model, seed, i, openDefects);
            var name = $"model {i} ({kind}, seed {seed})";
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            try
            {
                var ml = new MLContext(0);
                ml.ComponentCatalog.RegisterMLNetFlows();
                var loaded = ml.Model.LoadChecked(new MemoryStream(bytes), out _);
                try
                {
                    ScoreAll(loaded, rows);
                    tally.Accept(kind.ToString());
                }
                finally
                {
                    (loaded as IDisposable)?.Dispose();
                }
            }
            catch (Exception e) when (ExpectedFailures.Reason(e) is { } reason)
            {
                tally.Refuse(kind.ToString(), reason);
            }
            catch (Exception e)
            {
                tally.Crash(kind.ToString(), name, $"{e.GetType().FullName}: {e.Message}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > maxAllocated)
            {
                (maxAllocated, maxFile) = (allocated, name);
            }

            if (allocated > AllocationAllowance + (AllocationFactor * (long)bytes.Length))
            {
                tally.Crash(kind.ToString(), name, $"allocated {allocated >> 20} MB loading a file of {bytes.Length} bytes");
            }

            if (clock.Elapsed > perFileLimit)
            {
                tally.Hang(kind.ToString(), name, perFileLimit);
            }

            progress?.Invoke(i + 1, tally, maxAllocated);
        }

        return (tally, maxAllocated, maxFile);
    }

    /// <summary>Reads every row and column of the model's output (the model must work, not just load).</summary>
    public static void ScoreAll(ITransformer model, IDataView rows)
    {
        var scored = model.Transform(rows);
        using var cursor = scored.GetRowCursor(scored.Schema);
        var getters = scored.Schema.Where(c => c.Type is NumberDataViewType or BooleanDataViewType or VectorDataViewType { ItemType: NumberDataViewType })
            .Where(c => c.Type.RawType == typeof(float) || c.Type.RawType == typeof(bool) || c.Type.RawType == typeof(VBuffer<float>))
            .Select(c => MakeReader(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            foreach (var read in getters)
            {
                read();
            }
        }
    }

    private static Action MakeReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is BooleanDataViewType)
        {
            var getter = cursor.GetGetter<bool>(column);
            var value = false;
            return () => getter(ref value);
        }

        if (column.Type is VectorDataViewType)
        {
            var vectors = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> vector = default;
            return () => vectors(ref vector);
        }

        var floats = cursor.GetGetter<float>(column);
        var number = 0f;
        return () => floats(ref number);
    }
}
