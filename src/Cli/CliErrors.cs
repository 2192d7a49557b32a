using System.Reflection;
using System.Runtime.InteropServices;
using MLNetFlows.Persistence;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli;

/// <summary>
/// Turns every failure into one line on stderr and an exit code, never a stack trace (unless
/// <see cref="DebugVariable"/> is 1): <see cref="Failure"/> (1) for what a user can cause or fix — bad arguments,
/// missing or unreadable files, malformed model files and images, ML.NET's and libtorch's errors, an unloadable native
/// library, a diverged training run; <see cref="Cancelled"/> (130) for a cancelled run; <see cref="InternalError"/> (70)
/// for anything else, which is a bug in MLNetFlows and is named as such with its exception type.
/// </summary>
internal static class CliErrors
{
    /// <summary>An expected failure: the line says what went wrong.</summary>
    public const int Failure = 1;

    /// <summary>A bug (an exception nobody expected), EX_SOFTWARE in sysexits.h.</summary>
    public const int InternalError = 70;

    /// <summary>Cancelled by Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>Set to 1 to also print the full exception with its stack trace.</summary>
    public const string DebugVariable = "MLNETFLOWS_DEBUG";

    /// <summary>The key ML.NET's <c>Contracts</c> put in <see cref="Exception.Data"/> of the exceptions it raises about its input.</summary>
    private const string MLNetMark = "ML_IsMarked";

    /// <summary>Where libtorch's error messages start listing native stack frames.</summary>
    private const string NativeFramesMark = "Exception raised from ";

    /// <summary>Runs <paramref name="body"/> and maps what it throws to a line on stderr and an exit code.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (code, line) = Describe(e);
            Console.Error.WriteLine(line);
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
            {
                Console.Error.WriteLine(e);
            }

            return code;
        }
    }

    /// <summary>The exit code and the one line (no line breaks) reporting <paramref name="error"/>.</summary>
    public static (int Code, string Line) Describe(Exception error)
    {
        if (Chain(error).OfType<OperationCanceledException>().Any())
        {
            return (Cancelled, "mlnetflows: cancelled");
        }

        if (ExpectedCause(error) is { } cause)
        {
            return (Failure, $"mlnetflows: error: {OneLine(MessageOf(cause))}");
        }

        var bug = Chain(error).First(e => e is not (TargetInvocationException or TypeInitializationException or AggregateException) || e.InnerException is null);
        return (InternalError, $"mlnetflows: internal error: {bug.GetType().FullName}: {OneLine(bug.Message)}");
    }

    /// <summary>
    /// The exception in <paramref name="error"/>'s chain that explains an expected failure, or null for a bug: the
    /// outermost <see cref="CliFailureException"/>, else the deepest expected exception (ML.NET wraps loader and cursor
    /// errors in its own, vaguer ones).
    /// </summary>
    public static Exception? ExpectedCause(Exception error) =>
        Chain(error).FirstOrDefault(e => e is CliFailureException) ?? Chain(error).LastOrDefault(IsExpected);

    /// <summary>Whether a user can cause or fix <paramref name="e"/> (as opposed to a bug in MLNetFlows).</summary>
    private static bool IsExpected(Exception e) => e switch
    {
        ArgumentNullException => false,
        CliFailureException or ModelFormatException or ImageLoadException => true,
        ArgumentException or FormatException or IOException or InvalidDataException or UnauthorizedAccessException => true,
        DllNotFoundException or BadImageFormatException or ExternalException => true, // native libraries; libtorch's errors
        OutOfMemoryException or NotSupportedException => true, // out of memory; another ML.NET version or platform
        InvalidOperationException when e.Data.Contains(MLNetMark) => true, // ML.NET's checks of its input
        _ => false,
    };

    /// <summary>The exception and its inner exceptions, outermost first (all of an aggregate's).</summary>
    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException { InnerExceptions.Count: > 1 } aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }

                yield break;
            }
        }
    }

    /// <summary>
    /// The message of <paramref name="error"/> without the " (Parameter 'name')" that .NET appends to an
    /// <see cref="ArgumentException"/>'s: the name is a .NET parameter or option property, not a command-line flag, and
    /// the messages name the setting themselves.
    /// </summary>
    public static string MessageOf(Exception error)
    {
        if (error is not ArgumentException { ParamName: { Length: > 0 } name })
        {
            return error.Message;
        }

        var suffix = $" (Parameter '{name}')";
        var at = error.Message.LastIndexOf(suffix, StringComparison.Ordinal);
        return at < 0 ? error.Message : error.Message.Remove(at, suffix.Length);
    }

    /// <summary>
    /// <paramref name="message"/> on one line, without the native frame list libtorch appends to its errors
    /// ("Exception raised from … (most recent call first): frame #0: …").
    /// </summary>
    public static string OneLine(string message)
    {
        var frames = message.IndexOf(NativeFramesMark, StringComparison.Ordinal);
        var text = frames > 0 ? message[..frames] : message;
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
