using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

/// <summary>Turns the native failure convention (NULL handle or negative status) into a <see cref="TorchException"/>.</summary>
internal static class NativeError
{
    public static IntPtr CheckHandle(IntPtr handle)
    {
        if (handle == IntPtr.Zero)
        {
            Throw();
        }

        return handle;
    }

    public static int Check(int status)
    {
        if (status < 0)
        {
            Throw();
        }

        return status;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Throw() => throw new TorchException(TakeMessage());

    /// <summary>Takes (and frees) this thread's last native failure message.</summary>
    public static string TakeMessage()
    {
        var message = Native.mlnf_error_take();
        if (message == IntPtr.Zero)
        {
            return "the native call failed without a message";
        }

        try
        {
            return Marshal.PtrToStringUTF8(message) ?? "the native call failed without a message";
        }
        finally
        {
            Native.mlnf_string_free(message);
        }
    }
}
