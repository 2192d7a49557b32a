using MLNetFlows.Persistence;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Tells a clear refusal from a crash, as the CLI does: an exception is a refusal when its chain holds one a user can
/// cause or fix (a model-format, data, I/O or argument error, or one of ML.NET's marked input checks) — the deepest
/// such exception's message is the reason. Anything else (null references, index errors, casts, overflow) is a bug.
/// </summary>
internal static class ExpectedFailures
{
    private const string MLNetMark = "ML_IsMarked";

    /// <summary>The reason a user would be shown, or null when <paramref name="error"/> is a bug.</summary>
    public static string? Reason(Exception error) => Chain(error).LastOrDefault(IsExpected)?.Message;

    private static bool IsExpected(Exception e) => e switch
    {
        ArgumentNullException => false,
        ModelFormatException or ImageLoadException or InvalidDataException or FormatException or IOException or UnauthorizedAccessException => true,
        ArgumentException or NotSupportedException => true,
        InvalidOperationException when e.Data.Contains(MLNetMark) => true,
        _ => false,
    };

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
