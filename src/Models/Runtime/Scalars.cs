using System.Collections.Concurrent;
using TorchSharp;

namespace MLNetFlows.Models.Runtime;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s that live as long as the process, for the constants of forward passes and training
/// steps.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns every C# number in a tensor expression (<c>x * 0.5</c>, <c>x + 1</c>, and the implicit
/// <c>alpha = 1</c> of <c>a + b</c> on two tensors) into a temporary <see cref="Scalar"/> whose finalizer deletes the
/// native value, and nothing keeps that temporary alive while libtorch reads it. When another thread allocates during
/// the native call, a garbage collection can finalize it mid-call ("Exception raised from toFloat at
/// c10/core/Scalar.h:140", or wrong results). Every scalar our models and training loops pass to TorchSharp therefore
/// comes from here, where a static reference keeps it alive; <c>ScalarLifetimeTests</c> scans the compiled assemblies for
/// calls that would create a temporary one. Values that change from call to call (a temperature, a learning rate) are
/// not cached: pass them as 0-dimensional tensors created inside the caller's dispose scope.
/// </remarks>
public static class Scalars
{
    /// <summary>How many distinct constants may be cached; more means a varying value was passed as a constant.</summary>
    public const int Capacity = 4096;

    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>The integer 1: the <c>alpha</c> of <c>a.add(b, Scalars.One)</c>, what <c>a + b</c> means.</summary>
    public static Scalar One { get; } = Of(1L);

    /// <summary>The floating-point constant <paramref name="value"/>, kept alive for the process.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="Capacity"/> distinct constants were requested.</exception>
    public static Scalar Of(double value) => Get(Reals, value, static v => v.ToScalar());

    /// <summary>
    /// The integer constant <paramref name="value"/>, kept alive for the process (an integer scalar keeps an integer
    /// tensor's dtype, as <c>x * 2</c> does).
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="Capacity"/> distinct constants were requested.</exception>
    public static Scalar Of(long value) => Get(Integers, value, static v => v.ToScalar());

    /// <summary>
    /// A value that varies between calls (a temperature, a learning rate) as a 0-dimensional tensor of
    /// <paramref name="like"/>'s dtype and on its device, owned by the current dispose scope, which keeps it alive.
    /// </summary>
    public static torch.Tensor Varying(double value, torch.Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return torch.tensor(value, like.dtype, like.device);
    }

    private static Scalar Get<T>(ConcurrentDictionary<T, Scalar> cache, T value, Func<T, Scalar> create)
        where T : notnull
    {
        if (cache.TryGetValue(value, out var scalar))
        {
            return scalar;
        }

        if (Reals.Count + Integers.Count >= Capacity)
        {
            throw new InvalidOperationException($"more than {Capacity} distinct scalar constants were requested (now {value}); a value that varies between calls must be passed as a 0-dimensional tensor, not through {nameof(Scalars)}");
        }

        return cache.GetOrAdd(value, create);
    }
}
