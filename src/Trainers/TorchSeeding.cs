using TorchSharp;

namespace MLNetFlows.Trainers;

/// <summary>Seeds libtorch's default generators (the CPU's, and every GPU's when training on CUDA).</summary>
internal static class TorchSeeding
{
    /// <summary>Seeds the generators that draws on <paramref name="device"/> use with <paramref name="seed"/>.</summary>
    public static void Reseed(ulong seed, torch.Device device)
    {
        var value = unchecked((long)seed);
        torch.manual_seed(value).Dispose(); // the returned wrapper only: the default generator lives on

        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.manual_seed_all(value);
        }
    }
}
