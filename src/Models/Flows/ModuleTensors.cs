using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>Helpers for the tensors a module owns.</summary>
internal static class ModuleTensors
{
    /// <summary>
    /// Takes <paramref name="tensor"/> out of any dispose scope: a module's parameters and buffers live as long as the
    /// module (which disposes them), even when the module is built inside a caller's scope.
    /// </summary>
    public static T Owned<T>(this T tensor)
        where T : Tensor => (T)tensor.DetachFromDisposeScope();
}
