using System.Collections.Concurrent;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// What <c>LoadImagesSafely</c> met while loading, over every pass of every view of the transformers fitted by one
/// estimator: the number of images loaded and failed, the distinct failing files with their reasons, and an event
/// raised the first time each file fails (the place to log). Thread-safe; not saved with a model.
/// </summary>
public sealed class ImageLoadingDiagnostics
{
    /// <summary>How many distinct failures <see cref="Failures"/> keeps (the counts go on beyond).</summary>
    public const int MaxRecordedFailures = 10_000;

    private readonly ConcurrentDictionary<string, ImageLoadFailure> _failures = new(StringComparer.Ordinal);
    private long _failureCount;
    private long _loadedCount;

    internal ImageLoadingDiagnostics()
    {
    }

    /// <summary>
    /// Raised the first time a file fails to load (at most <see cref="MaxRecordedFailures"/> times), on the thread
    /// that moves the cursor, before the row is skipped or the pass fails. Handlers must be quick and must not throw.
    /// </summary>
    public event EventHandler<ImageLoadFailure>? ImageLoadFailed;

    /// <summary>Gets the number of images that failed to load (a file read in two passes counts twice).</summary>
    public long FailureCount => Interlocked.Read(ref _failureCount);

    /// <summary>Gets the number of images loaded successfully (a file read in two passes counts twice).</summary>
    public long LoadedCount => Interlocked.Read(ref _loadedCount);

    /// <summary>Gets the distinct failing files (up to <see cref="MaxRecordedFailures"/>), ordered by path.</summary>
    public IReadOnlyList<ImageLoadFailure> Failures => [.. _failures.Values.OrderBy(f => f.Path, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public override string ToString() =>
        $"{LoadedCount} image(s) loaded, {FailureCount} failed" + string.Concat(Failures.Take(10).Select(f => Environment.NewLine + "  " + f));

    /// <summary>Counts a failure, and reports it the first time its file fails.</summary>
    internal void RecordFailure(ImageLoadFailure failure)
    {
        Interlocked.Increment(ref _failureCount);
        if (_failures.Count < MaxRecordedFailures && _failures.TryAdd(failure.Path, failure))
        {
            ImageLoadFailed?.Invoke(this, failure);
        }
    }

    /// <summary>Counts loaded images.</summary>
    internal void RecordLoaded(int count) => Interlocked.Add(ref _loadedCount, count);
}
