using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Writes seeded mutations of the seed images to a folder and reads them all through the CLI's own image pipeline
/// (<c>LoadImagesSafely</c> → ImageAnalytics' <c>ResizeImages</c> → <c>ConvertToGrayscale</c> → <c>ExtractPixels</c>),
/// one file per batch on one thread so each file is timed alone. Every file must come out as a row or as a failure
/// reported with its path and a reason; an exception or a file over the time limit is a crash or a hang.
/// </summary>
internal static class ImageFuzzer
{
    private const string PathColumn = "Path";
    private const string ImageColumn = "Image";
    private const string PixelsColumn = "Pixels";

    /// <summary>The valid PNG and JPEG files mutations start from (copied beside this assembly).</summary>
    public static IReadOnlyList<string> Seeds() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Seeds")).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Writes <paramref name="count"/> mutated files into <paramref name="folder"/>, named
    /// <c>{index}-{kind}-{seed file}</c>; file i is mutation (i mod kinds) of seed (i / kinds mod seeds) drawn from
    /// <see cref="FuzzRandom.For"/>(seed, i), so one file can be remade alone.
    /// </summary>
    public static IReadOnlyList<(string Path, ImageMutation Kind)> WriteMutations(string folder, int count, int seed)
    {
        var seeds = Seeds().Select(p => (Name: Path.GetFileName(p), Bytes: File.ReadAllBytes(p))).ToArray();
        var kinds = Enum.GetValues<ImageMutation>();
        var files = new List<(string, ImageMutation)>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = kinds[i % kinds.Length];
            var source = seeds[i / kinds.Length % seeds.Length];
            var path = Path.Combine(folder, $"{i:D6}-{kind}-{source.Name}");
            File.WriteAllBytes(path, ImageMutator.Mutate(source.Bytes, kind, FuzzRandom.For(seed, i)));
            files.Add((path, kind));
        }

        return files;
    }

    /// <summary>Reads <paramref name="files"/> through the pipeline and tallies every file's outcome.</summary>
    public static FuzzTally Run(IReadOnlyList<(string Path, ImageMutation Kind)> files, TimeSpan perFileLimit)
    {
        var tally = new FuzzTally();
        var kinds = files.ToDictionary(f => f.Path, f => f.Kind.ToString(), StringComparer.Ordinal);
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { Path = f.Path }));
        var loading = ml.Transforms.LoadImagesSafely(new SafeImageLoadingEstimator.Options
        {
            OutputColumnName = ImageColumn, InputColumnName = PathColumn, BatchSize = 1, MaxDegreeOfParallelism = 1,
        });
        var pipeline = loading
            .Append(ml.Transforms.ResizeImages(ImageColumn, 28, 28, ImageColumn))
            .Append(ml.Transforms.ConvertToGrayscale(ImageColumn))
            .Append(ml.Transforms.ExtractPixels(PixelsColumn, ImageColumn, ImagePixelExtractingEstimator.ColorBits.Red));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var progress = Stopwatch.StartNew();
        var current = 0;
        loading.Diagnostics.ImageLoadFailed += (_, failure) =>
        {
            lock (seen)
            {
                var kind = kinds.GetValueOrDefault(failure.Path, "?");
                if (!seen.Add(failure.Path))
                {
                    tally.Crash(kind, failure.Path, "reported twice");
                }
                else if (string.IsNullOrWhiteSpace(failure.Reason))
                {
                    tally.Crash(kind, failure.Path, "reported without a reason");
                }
                else
                {
                    tally.Refuse(kind, failure.Reason);
                }

                current = seen.Count;
                progress.Restart();
            }
        };

        var scored = pipeline.Fit(data).Transform(data);
        var reader = Task.Factory.StartNew(() =>
        {
            using var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is PathColumn or PixelsColumn));
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema[PathColumn]);
            var pixels = cursor.GetGetter<VBuffer<float>>(scored.Schema[PixelsColumn]);
            ReadOnlyMemory<char> p = default;
            VBuffer<float> values = default;
            while (cursor.MoveNext())
            {
                path(ref p);
                pixels(ref values);
                lock (seen)
                {
                    var file = p.ToString();
                    var kind = kinds.GetValueOrDefault(file, "?");
                    if (!seen.Add(file))
                    {
                        tally.Crash(kind, file, "came out twice");
                    }
                    else if (values.Length != 28 * 28)
                    {
                        tally.Crash(kind, file, $"came out with {values.Length} pixel values, expected {28 * 28}");
                    }
                    else
                    {
                        tally.Accept(kind);
                    }

                    current = seen.Count;
                    progress.Restart();
                }
            }
        }, TaskCreationOptions.LongRunning);

        while (!reader.Wait(TimeSpan.FromMilliseconds(50)))
        {
            lock (seen)
            {
                if (progress.Elapsed > perFileLimit)
                {
                    var next = files[Math.Min(current, files.Count - 1)];
                    tally.Hang(next.Kind.ToString(), next.Path, perFileLimit);
                    return tally; // the reader thread is abandoned: the run has failed
                }
            }
        }

        if (reader.Exception?.GetBaseException() is { } error)
        {
            tally.Crash("?", files[Math.Min(current, files.Count - 1)].Path, $"{error.GetType().Name}: {error.Message}");
        }

        foreach (var (file, kind) in files.Where(f => !seen.Contains(f.Path)))
        {
            tally.Crash(kind.ToString(), file, "neither loaded nor reported");
        }

        return tally;
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }
}
