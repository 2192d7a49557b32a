using System.Diagnostics.CodeAnalysis;

namespace MLNetFlows;

/// <summary>Throw helpers: keep the throwing code out of hot methods so they stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentNull(string? paramName) =>
        throw new ArgumentNullException(paramName, "expected a non-null value, got null");

    [DoesNotReturn]
    public static void ThrowArgument(string? paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string? paramName, object? actual, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actual, message);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
