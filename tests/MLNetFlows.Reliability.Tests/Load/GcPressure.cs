namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// A side thread that forces garbage collections and runs finalizers in a loop while scoring threads are inside native
/// calls, as other threads of a busy application would, only far more often. A collection does not wait for threads
/// that are in native code, so any managed object a native call still reads but nothing keeps alive (TorchSharp 0.107's
/// temporary <c>Scalar</c> for <c>x * 0.5</c>) is finalized and freed mid-call. Dispose stops the thread.
/// </summary>
internal sealed class GcPressure : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _collections;

    public GcPressure()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "GC pressure" };
        _thread.Start();
    }

    /// <summary>Gets how many forced collections have run so far.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        var garbage = new object[64];
        var i = 0;
        while (!_stop.IsCancellationRequested)
        {
            for (var k = 0; k < 256; k++)
            {
                garbage[i++ % garbage.Length] = new byte[1024];
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref _collections);
        }
    }
}
