namespace MLNetFlows.Torch;

/// <summary>
/// Collects every tensor created on this thread while the scope is the innermost one, and disposes them when the
/// scope is disposed: the way to write training loops without leaking temporaries.
/// <code>
/// using (var scope = DisposeScope.Enter())
/// {
///     var loss = model.Forward(x).Sum();   // temporaries are tracked
///     loss.Backward();
///     result = scope.MoveToOuter(loss);    // survives the scope
/// }
/// </code>
/// Tensors kept past the scope are moved out with <see cref="MoveToOuter"/> or <see cref="Tensor.DetachFromScope"/>.
/// Scopes nest and must be disposed in reverse order of creation, on the thread that created them.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? t_current;

    private readonly DisposeScope? _outer;
    private readonly List<Tensor> _tensors = [];
    private bool _disposed;

    private DisposeScope(DisposeScope? outer) => _outer = outer;

    /// <summary>The innermost scope of this thread, if any.</summary>
    public static DisposeScope? Current => t_current;

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count => _tensors.Count(t => t.Scope == this);

    /// <summary>Opens a scope that becomes this thread's innermost one.</summary>
    public static DisposeScope Enter() => t_current = new DisposeScope(t_current);

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to the caller when there is none).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Scope = null;
        if (_outer is not null)
        {
            _outer.Add(tensor);
        }

        return tensor;
    }

    /// <summary>Disposes every tracked tensor that was not moved out, and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (t_current != this)
        {
            throw new InvalidOperationException("DisposeScopes must be disposed innermost first, on the thread that entered them.");
        }

        _disposed = true;
        t_current = _outer;
        foreach (var tensor in _tensors)
        {
            if (tensor.Scope == this)
            {
                tensor.Dispose();
            }
        }

        _tensors.Clear();
    }

    internal static void Track(Tensor tensor) => t_current?.Add(tensor);

    private void Add(Tensor tensor)
    {
        tensor.Scope = this;
        _tensors.Add(tensor);
    }
}
