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
/// (Glow scored 1.35× faster on 2 intra-op threads than on 1). Worse, when the machine is busier than its cores, an
/// OpenMP thread that loses its core stalls every barrier (load average 13–23 on 2 cores: 22–34 images/s), while pieces
/// on separate threads share no barrier (126–314 images/s in the same runs; <c>MLNetFlows.Bench score-parallel</c>).
/// </para>
/// <para>
/// The thread budget stays the caller's: <see cref="CallerThreads"/> is libtorch's thread count on the calling thread,
/// and a call uses at most that many workers. A worker sets only its own thread's OpenMP and MKL counts
/// (<see cref="TorchThreads"/>), after libtorch's lazy per-thread initialisation; the process-wide setting is left
/// alone. Grad mode, inference mode and dispose scopes are per thread in libtorch and TorchSharp: a piece sets what it
/// needs itself. The code a piece runs must take its scalars from <see cref="Scalars"/> (TorchSharp's temporary
/// scalars are not safe when several threads allocate).
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

    /// <summary>The fewest rows a piece of a batch holds: smaller batches run in one pass on the calling thread.</summary>
    public const int MinimumRowsPerPiece = 16;

    /// <summary>
    /// How many pieces a batch of <paramref name="rows"/> on <paramref name="device"/> is cut into: at most
    /// <see cref="CallerThreads"/>, each of at least <see cref="MinimumRowsPerPiece"/> rows, on the CPU only (1: one pass
    /// on the calling thread).
    /// </summary>
    public static int Pieces(long rows, Device device) =>
        device.type == DeviceType.CPU ? (int)Math.Clamp(rows / MinimumRowsPerPiece, 1, CallerThreads) : 1;

    /// <summary>The first row and the number of rows of piece <paramref name="piece"/> of <paramref name="pieces"/> (contiguous, sizes differ by at most one).</summary>
    public static (int Start, int Rows) Slice(int rows, int pieces, int piece)
    {
        var start = (int)((long)rows * piece / pieces);
        return (start, (int)((long)rows * (piece + 1) / pieces) - start);
    }

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
