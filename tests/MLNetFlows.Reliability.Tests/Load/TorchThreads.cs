using TorchSharp;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>Sets libtorch's thread count for a test and restores the assembly's one thread afterwards.</summary>
internal sealed class TorchThreads : IDisposable
{
    public TorchThreads(int threads) => torch.set_num_threads(threads);

    public void Dispose() => torch.set_num_threads(1);
}
