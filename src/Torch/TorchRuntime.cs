using System.Text;
using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Process-wide libtorch settings: seeds, threads, denormal flushing, devices.</summary>
public static class TorchRuntime
{
    /// <summary>The libtorch version the native shim was built against, e.g. "1.13.0".</summary>
    public static unsafe string Version
    {
        get
        {
            var length = NativeError.Check(Native.mlnf_torch_version(null, 0));
            var buffer = new byte[length + 1];
            fixed (byte* pointer = buffer)
            {
                NativeError.Check(Native.mlnf_torch_version(pointer, buffer.Length));
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    /// <summary>Seeds libtorch's global generators (CPU and every CUDA device).</summary>
    public static void ManualSeed(ulong seed) => NativeError.Check(Native.mlnf_torch_manual_seed(seed));

    /// <summary>Number of threads for intra-op parallelism.</summary>
    public static int NumThreads
    {
        get => NativeError.Check(Native.mlnf_torch_get_num_threads());
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "expected at least 1 thread");
            }

            NativeError.Check(Native.mlnf_torch_set_num_threads(value));
        }
    }

    /// <summary>
    /// Flushes denormal floats to zero on the CPU (1.5–2× faster training steps here, since zero-initialised layers
    /// breed denormals). Returns whether the CPU supports it.
    /// </summary>
    public static bool SetFlushDenormal(bool enabled) => NativeError.Check(Native.mlnf_torch_set_flush_denormal(enabled ? 1 : 0)) == 1;

    /// <summary>Number of native tensors alive in the process.</summary>
    public static long LiveTensorCount => Tensor.LiveCount;
}

/// <summary>CUDA availability (false with a CPU-only libtorch such as Debian's).</summary>
public static class Cuda
{
    /// <summary>Whether a CUDA device is usable by this libtorch.</summary>
    public static bool IsAvailable => NativeError.Check(Native.mlnf_torch_cuda_is_available()) == 1;

    /// <summary>Number of CUDA devices visible to this libtorch.</summary>
    public static int DeviceCount => NativeError.Check(Native.mlnf_torch_cuda_device_count());
}
