using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace MLNetFlows;

/// <summary>
/// Always-on validation of user input. Every failure message has the shape "expected X, got Y" and names the
/// argument. Internal invariants use <see cref="DebugGuard"/> instead, which compiles away in Release builds.
/// </summary>
public static class Guard
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null.</summary>
    /// <typeparam name="T">The argument type.</typeparam>
    /// <param name="value">The argument.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns>The non-null argument.</returns>
    public static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where T : class
    {
        if (value is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is null or empty.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns>The non-empty argument.</returns>
    public static string NotNullOrEmpty([NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        if (value.Length == 0)
        {
            ThrowHelper.ThrowArgument(paramName, "expected a non-empty string, got an empty string");
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is not strictly greater than <paramref name="min"/>.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="min">The exclusive lower bound.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns>The argument.</returns>
    public static long MustBeGreaterThan(long value, long min, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= min)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, value, $"expected a value greater than {min}, got {value}");
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is less than <paramref name="min"/>.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns>The argument.</returns>
    public static long MustBeGreaterThanOrEqualTo(long value, long min, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < min)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, value, $"expected a value greater than or equal to {min}, got {value}");
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>] or NaN.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="max">The inclusive upper bound.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns>The argument.</returns>
    public static double MustBeBetweenOrEqualTo(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!(value >= min && value <= max))
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, value, $"expected a value in [{min}, {max}], got {value}");
        }

        return value;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with "expected X, got Y" when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The condition that must hold.</param>
    /// <param name="expected">What was expected, e.g. "a positive batch size".</param>
    /// <param name="actual">What was received.</param>
    /// <param name="paramName">The argument name.</param>
    public static void IsTrue([DoesNotReturnIf(false)] bool condition, string expected, string actual, string paramName)
    {
        if (!condition)
        {
            ThrowHelper.ThrowArgument(paramName, $"expected {expected}, got {actual}");
        }
    }
}
