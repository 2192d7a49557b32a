using System.Globalization;
using MLNetFlows.Models.Runtime;
using TorchSharp;

namespace MLNetFlows.Cli;

/// <summary>The libtorch settings every command applies before its first tensor: initialisation, threads, denormals, device.</summary>
internal static class TorchSettings
{
    /// <summary>
    /// Loads libtorch (<see cref="TorchRuntime.EnsureInitialized"/>: the Debian 12 repair, libtorch's start-up warnings
    /// kept off stderr), sets its intra-op thread count and flushes denormal floats to zero.
    /// </summary>
    /// <param name="threads">libtorch threads (validated ≥ 1 by the option).</param>
    public static void Apply(int threads)
    {
        try
        {
            TorchRuntime.EnsureInitialized();
        }
        catch (InvalidOperationException e)
        {
            throw new CliFailureException(e.Message, e);
        }

        torch.set_num_threads(threads);
        TorchRuntime.SetFlushDenormal(true);
    }

    /// <summary>
    /// Checks that <paramref name="device"/> (already in the form <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>) exists here,
    /// before any data is read: a CUDA device needs the CUDA backend package and a GPU.
    /// </summary>
    public static void RequireDevice(string device)
    {
        var name = device.Trim().ToLowerInvariant();
        if (!name.StartsWith("cuda", StringComparison.Ordinal))
        {
            return;
        }

        if (!torch.cuda.is_available())
        {
            throw new CliFailureException(
                $"--device {device}: CUDA is not available here (torch.cuda.is_available() is false); on a machine with an NVIDIA GPU, build the tool with the TorchSharp-cuda-linux package in place of TorchSharp-cpu, or use --device cpu");
        }

        var index = name.Length > 5 ? int.Parse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        var count = torch.cuda.device_count();
        if (index >= count)
        {
            throw new CliFailureException(string.Create(CultureInfo.InvariantCulture, $"--device {device}: this machine has {count} CUDA device(s), numbered from 0"));
        }
    }
}
