using MLNetFlows.Torch;

namespace MLNetFlows.Cli;

/// <summary>Turns failures into one clear line on stderr and a non-zero exit code, never a stack trace.</summary>
internal static class CliErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or TorchException or DllNotFoundException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"mlnetflows: error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("mlnetflows: cancelled");
            return 130;
        }
    }
}
