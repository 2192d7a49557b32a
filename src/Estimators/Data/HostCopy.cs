using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Data;

/// <summary>Copies tensors' values into .NET memory, where ML.NET's getters read them.</summary>
internal static class HostCopy
{
    /// <summary>
    /// Copies <paramref name="values"/> (on any device, any layout, element type <typeparamref name="T"/>) into
    /// <paramref name="destination"/>, which must hold exactly its number of elements.
    /// </summary>
    public static void CopyTo<T>(Tensor values, Span<T> destination)
        where T : unmanaged
    {
        using var scope = NewDisposeScope();
        var host = values.cpu().contiguous();
        MemoryMarshal.Cast<byte, T>(host.bytes).CopyTo(destination);
    }
}
