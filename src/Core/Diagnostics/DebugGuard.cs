using System.Diagnostics;

namespace MLNetFlows;

/// <summary>
/// Internal invariants: checked in Debug builds only, never in Release. Use <see cref="Guard"/> for user input.
/// </summary>
internal static class DebugGuard
{
    /// <summary>Asserts that <paramref name="condition"/> holds (Debug builds only).</summary>
    [Conditional("DEBUG")]
    public static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Internal invariant violated: " + message);
        }
    }
}
