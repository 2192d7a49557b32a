namespace MLNetFlows.Torch.NN;

/// <summary>
/// Base of every network component: owns named parameters (trainable leaves), buffers (state such as running
/// statistics) and child modules, with PyTorch's dotted names ("block.conv.weight"). Disposing a module disposes
/// everything it owns. Subclasses register what they own in their constructor.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];
    private bool _disposed;

    /// <summary>Whether the module is in training mode (the default) rather than evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Parameters of this module and its descendants with dotted names, in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters() => Walk(m => m._parameters);

    /// <summary>This module and all its descendants, depth first.</summary>
    public IEnumerable<Module> AllModules()
    {
        yield return this;
        foreach (var (_, child) in _children)
        {
            foreach (var module in child.AllModules())
            {
                yield return module;
            }
        }
    }

    /// <summary>Buffers of this module and its descendants with dotted names, in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers() => Walk(m => m._buffers);

    /// <summary>All parameters, in registration order (what an optimizer takes).</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Parameters and buffers by dotted name: the tensors themselves, owned by the module (do not dispose).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in NamedParameters().Concat(NamedBuffers()))
        {
            state.Add(name, tensor);
        }

        return state;
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers. Every name must exist on both sides with the same
    /// shape (missing, unexpected and mismatched entries are all listed in one error) unless <paramref name="strict"/>
    /// is false, which skips missing and unexpected names but never a shape mismatch.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source))
            {
                if (strict)
                {
                    problems.Add($"missing '{name}'");
                }
            }
            else if (!source.Shape.SequenceEqual(target.Shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", source.Shape.ToArray())}], expected [{string.Join(", ", target.Shape.ToArray())}]");
            }
        }

        if (strict)
        {
            problems.AddRange(state.Keys.Where(k => !own.ContainsKey(k)).Select(k => $"unexpected '{k}'"));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"state does not fit {GetType().Name}: {string.Join("; ", problems)}", nameof(state));
        }

        using (Autograd.NoGrad())
        {
            foreach (var (name, target) in own)
            {
                if (state.TryGetValue(name, out var source))
                {
                    target.Copy_(source);
                }
            }
        }

        NotifyStateLoaded();
    }

    /// <summary>Called on every module of the tree after <see cref="LoadStateDict"/>; override to drop cached state.</summary>
    protected virtual void OnStateLoaded()
    {
    }

    /// <summary>Sets training (true) or evaluation (false) mode on this module and its descendants.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Evaluation mode: batch norm uses running statistics, dropout is off.</summary>
    public Module Eval() => Train(false);

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> in place (their identity is kept).</summary>
    public Module To(Device device)
    {
        foreach (var (_, tensor) in NamedParameters().Concat(NamedBuffers()))
        {
            if (tensor.Device != device)
            {
                using var moved = tensor.Detach().To(device);
                tensor.SetData(moved);
            }
        }

        return this;
    }

    /// <summary>
    /// Converts every floating-point parameter and buffer to <paramref name="dtype"/> in place (their identity is kept);
    /// integer and boolean buffers (flags, counters) keep their type.
    /// </summary>
    public Module To(DType dtype)
    {
        foreach (var (_, tensor) in NamedParameters().Concat(NamedBuffers()))
        {
            if (tensor.DType is DType.Float32 or DType.Float64 && tensor.DType != dtype)
            {
                using var converted = tensor.Detach().To(dtype);
                tensor.SetData(converted);
            }
        }

        return this;
    }

    /// <summary>Disposes every parameter, buffer and child module.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes owned tensors and children; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (var (_, tensor) in _parameters.Concat(_buffers))
        {
            tensor.Dispose();
        }

        foreach (var (_, child) in _children)
        {
            child.Dispose();
        }
    }

    /// <summary>Registers a trainable parameter: the module takes ownership and turns on its gradient.</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.DetachFromScope().RequiresGrad = true;
        _parameters.Add(new(name, tensor));
        return tensor;
    }

    /// <summary>Registers state that is saved and moved with the module but not trained.</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        _buffers.Add(new(name, tensor.DetachFromScope()));
        return tensor;
    }

    /// <summary>Registers a child module, whose names get the prefix "<paramref name="name"/>.".</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    private void NotifyStateLoaded()
    {
        OnStateLoaded();
        foreach (var (_, child) in _children)
        {
            child.NotifyStateLoaded();
        }
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid member name: expected a non-empty name without dots", nameof(name));
        }

        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _children.Any(c => c.Key == name))
        {
            throw new ArgumentException($"'{name}' is already registered on {GetType().Name}", nameof(name));
        }
    }

    private IEnumerable<KeyValuePair<string, Tensor>> Walk(Func<Module, List<KeyValuePair<string, Tensor>>> select, string prefix = "")
    {
        foreach (var (name, tensor) in select(this))
        {
            yield return new(prefix + name, tensor);
        }

        foreach (var (name, child) in _children)
        {
            foreach (var entry in child.Walk(select, $"{prefix}{name}."))
            {
                yield return entry;
            }
        }
    }
}

/// <summary>A module with a forward function from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/>.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Computes the module's output.</summary>
    public abstract TOutput Forward(TInput input);
}
