using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Runtime;

/// <summary>
/// Data-parallel CPU inference: independent pieces of a batch run at the same time on dedicated threads that each use
/// ONE libtorch thread, instead of one call spread over the cores by libtorch's intra-op (OpenMP) threads.
/// <para>
/// Why: a forward pass of a flow is a long chain of small operations, and intra-op parallelism pays a barrier for each
/// (measured here: 2 intra-op threads score Glow 1.35× faster than one, not 2×). Worse, when the machine is busier
/// than its cores, an OpenMP thread that loses its core stalls every barrier: Glow scoring with 2 intra-op threads fell
/// to 30 images/s under a load average of 13 on 2 cores, while 2 single-threaded callers scored 130–220
/// (bench: <c>MLNetFlows.Bench score-parallel</c>). Pieces on separate threads share no barrier.
/// </para>
/// <para>
/// The thread budget stays the caller's: <see cref="CallerThreads"/> is libtorch's thread count on the calling thread,
/// and a call uses at most that many workers. A worker sets libtorch's per-thread settings (the OpenMP and MKL thread
/// counts of its own thread) to one after libtorch's own lazy per-thread initialisation; the process-wide setting that
/// <c>torch.set_num_threads</c> changes is left alone, so no other thread is affected. Grad mode, inference mode and
/// dispose scopes are per thread in libtorch and TorchSharp: a piece sets what it needs itself.
/// </para>
/// </summary>
internal static class InferenceWorkers
{
    private static readonly BlockingCollection<Action> s_queue = [];
    private static readonly Lock s_lock = new();
    private static int s_workers;
    private static long s_liveTensors;

    [ThreadStatic]
    private static bool t_isWorker;

    /// <summary>
    /// How many pieces a call on this thread should run at once: libtorch's intra-op thread count on the calling thread,
    /// or 1 on a worker or where a thread's count cannot be set alone (see <see cref="TorchThreads"/>).
    /// </summary>
    public static int CallerThreads => t_isWorker || !TorchThreads.CanSetPerThread ? 1 : get_num_threads();

    /// <summary>
    /// Tensors created on the workers and not disposed there, summed over all pieces run so far (TorchSharp counts live
    /// tensors per thread): a piece may hand tensors to the caller, whose disposal counts on the caller's thread, so a
    /// leak check adds this to the caller's own count.
    /// </summary>
    public static long LiveTensors => Interlocked.Read(ref s_liveTensors);

    /// <summary>
    /// Runs <paramref name="body"/>(0) … <paramref name="body"/>(<paramref name="pieces"/> − 1) on worker threads at the
    /// same time and returns when all have finished; rethrows the first exception (the others still run to the end).
    /// One piece, or a call from a worker, runs on the calling thread.
    /// </summary>
    public static void Run(int pieces, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pieces, 1);
        ArgumentNullException.ThrowIfNull(body);
        if (pieces == 1 || t_isWorker)
        {
            for (var i = 0; i < pieces; i++)
            {
                body(i);
            }

            return;
        }

        EnsureWorkers(pieces);
        ExceptionDispatchInfo? failure = null;
        using var done = new CountdownEvent(pieces);
        for (var i = 0; i < pieces; i++)
        {
            var piece = i;
            s_queue.Add(() =>
            {
                var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                try
                {
                    body(piece);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
                finally
                {
                    Interlocked.Add(ref s_liveTensors, DisposeScopeManager.Statistics.ThreadTotalLiveCount - live);
                    done.Signal();
                }
            });
        }

        done.Wait();
        failure?.Throw();
    }

    private static void EnsureWorkers(int count)
    {
        lock (s_lock)
        {
            for (; s_workers < count; s_workers++)
            {
                var thread = new Thread(Work) { IsBackground = true, Name = $"MLNetFlows inference {s_workers}" };
                thread.Start();
            }
        }
    }

    private static void Work()
    {
        t_isWorker = true;
        TorchThreads.UseOneThreadOnThisThread();
        foreach (var work in s_queue.GetConsumingEnumerable())
        {
            work();
        }
    }
}
