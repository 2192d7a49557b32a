using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Torch.Tests;

/// <summary>
/// Golden values from PyTorch, written by Fixtures/make_parity_fixtures.py (run by hand with Debian's python3-torch;
/// its header says how to regenerate). Read with our own safetensors reader, which this also cross-checks.
/// </summary>
internal static class Fixtures
{
    public static SafeTensorsContent Load() =>
        SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity.safetensors"));
}
