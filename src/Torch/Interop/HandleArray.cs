using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

/// <summary>
/// Pins a list of tensors for one native call that takes an array of handles: each handle is add-ref'ed so no
/// tensor can be released while native code reads it, and released again on dispose.
/// </summary>
internal readonly struct HandleArray : IDisposable
{
    private readonly SafeHandle[] _owners;

    public HandleArray(IReadOnlyList<Tensor> tensors)
    {
        _owners = new SafeHandle[tensors.Count];
        Pointers = new IntPtr[tensors.Count];
        var added = 0;
        try
        {
            for (; added < tensors.Count; added++)
            {
                var owner = tensors[added].Handle;
                var success = false;
                owner.DangerousAddRef(ref success);
                _owners[added] = owner;
                Pointers[added] = owner.DangerousGetHandle();
            }
        }
        catch
        {
            for (var i = 0; i < added; i++)
            {
                _owners[i].DangerousRelease();
            }

            throw;
        }
    }

    public IntPtr[] Pointers { get; }

    public int Count => Pointers.Length;

    public void Dispose()
    {
        foreach (var owner in _owners)
        {
            owner?.DangerousRelease();
        }
    }
}
