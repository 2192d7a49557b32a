namespace MLNetFlows.Testing;

/// <summary>
/// Garbage collections, one after another, on a background thread until disposed: what a busy application's other
/// threads do to a training or scoring loop. Code that lets TorchSharp free a native value it still reads (a temporary
/// <c>Scalar</c> or tensor finalized during the native call) gives different numbers, NaNs or crashes under it.
/// </summary>
public sealed class CollectionPressure : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _collections;

    /// <summary>Starts collecting.</summary>
    public CollectionPressure()
    {
        _thread = new Thread(Collect) { IsBackground = true, Name = nameof(CollectionPressure) };
        _thread.Start();
    }

    /// <summary>Collections (each followed by the pending finalizers) completed so far.</summary>
    public int Collections => Volatile.Read(ref _collections);

    /// <summary>Stops collecting and waits for the thread to end.</summary>
    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Collect()
    {
        while (!_stopping)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref _collections);
        }
    }
}
