using System.Collections.Concurrent;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// What an <see cref="ImageLoadingTransformer"/> met while loading, over every pass of every view it produced:
/// the number of failed loads and the distinct failing files with their reasons. Thread-safe; the only state of
/// the transformer that changes (the transformer's configuration is immutable). Not saved with the model.
/// </summary>
public sealed class ImageLoadingDiagnostics
{
    /// <summary>How many distinct failures <see cref="Failures"/> keeps.</summary>
    public const int MaxRecordedFailures = 10_000;

    private readonly ConcurrentDictionary<string, ImageLoadFailure> _failures = new(StringComparer.Ordinal);
    private long _failureCount;
    private long _loadedCount;

    internal ImageLoadingDiagnostics()
    {
    }

    /// <summary>Gets the number of images that failed to load (a file read in two passes counts twice).</summary>
    public long FailureCount => Interlocked.Read(ref _failureCount);

    /// <summary>Gets the number of images loaded successfully.</summary>
    public long LoadedCount => Interlocked.Read(ref _loadedCount);

    /// <summary>Gets the distinct failing files (up to <see cref="MaxRecordedFailures"/>), ordered by path.</summary>
    public IReadOnlyList<ImageLoadFailure> Failures => [.. _failures.Values.OrderBy(f => f.Path, StringComparer.Ordinal)];

    /// <summary>Records a failure.</summary>
    /// <returns>True the first time this path fails.</returns>
    internal bool RecordFailure(ImageLoadFailure failure)
    {
        Interlocked.Increment(ref _failureCount);
        return _failures.Count < MaxRecordedFailures ? _failures.TryAdd(failure.Path, failure) : !_failures.ContainsKey(failure.Path);
    }

    internal void RecordLoaded(int count) => Interlocked.Add(ref _loadedCount, count);
}
