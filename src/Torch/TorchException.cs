namespace MLNetFlows.Torch;

/// <summary>
/// A failure reported by libtorch (shape mismatch, wrong device, invalid argument, ...). The message is libtorch's
/// own, without its C++ backtrace. The native call that failed has released everything it allocated.
/// </summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public TorchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
