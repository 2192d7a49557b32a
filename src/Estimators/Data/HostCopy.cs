using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Data;

/// <summary>Copies values between .NET memory, where ML.NET's getters read and write them, and tensors.</summary>
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

    /// <summary>
    /// A new float32 tensor of <paramref name="shape"/> on <paramref name="device"/> holding a copy of
    /// <paramref name="values"/>. Copies straight into libtorch's memory: unlike <c>tensor(values.ToArray(), shape)</c>,
    /// which pins a managed copy for the tensor's lifetime, no managed array is allocated per batch (a batch of 64
    /// Fashion-MNIST images would be a 200 kB large-object-heap array, which only a full collection frees).
    /// </summary>
    public static Tensor ToTensor(ReadOnlySpan<float> values, ReadOnlySpan<long> shape, Device device)
    {
        long count = 1;
        foreach (var size in shape)
        {
            count *= size;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"expected {count} values for shape [{string.Join(", ", shape.ToArray())}], got {values.Length}", nameof(values));
        }

        var host = empty(shape, ScalarType.Float32);
        MemoryMarshal.AsBytes(values).CopyTo(host.bytes);
        if (device.type == TorchSharp.DeviceType.CPU)
        {
            return host;
        }

        using (host)
        {
            return host.to(device);
        }
    }
}
