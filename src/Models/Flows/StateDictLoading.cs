using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// The checks every module of this library runs before TorchSharp's <c>load_state_dict</c> copies values in:
/// TorchSharp only compares names (with a message that names none of them) and its in-place copy would broadcast a
/// tensor of the wrong shape. After loading, every <see cref="ActNorm"/> below the module re-reads its
/// <c>initialized</c> flag.
/// </summary>
internal static class StateDictLoading
{
    /// <summary>TorchSharp's <c>Module.load_state_dict</c> of the module itself (the base implementation).</summary>
    public delegate (IList<string> Missing, IList<string> Unexpected) Loader(Dictionary<string, Tensor> source, bool strict, IList<string>? skip);

    /// <summary>
    /// Checks <paramref name="source"/> against <paramref name="module"/>'s state: every name must exist on both sides
    /// with the same shape (missing, unexpected and mismatched entries are all listed in one error) unless
    /// <paramref name="strict"/> is false, which skips missing and unexpected names but never a shape mismatch. Then
    /// loads through <paramref name="load"/>.
    /// </summary>
    public static (IList<string> Missing, IList<string> Unexpected) Load(nn.Module module, Dictionary<string, Tensor> source, bool strict, IList<string>? skip, Loader load)
    {
        ArgumentNullException.ThrowIfNull(source);
        var skipped = new HashSet<string>(skip ?? [], StringComparer.Ordinal);
        var own = module.state_dict();
        var problems = new List<string>();
        foreach (var (name, target) in own)
        {
            if (skipped.Contains(name))
            {
                continue;
            }

            if (!source.TryGetValue(name, out var value))
            {
                if (strict)
                {
                    problems.Add($"missing '{name}'");
                }
            }
            else if (!value.shape.SequenceEqual(target.shape))
            {
                problems.Add($"'{name}' has shape {InvertibleBlock.Format(value.shape)}, expected {InvertibleBlock.Format(target.shape)}");
            }
        }

        if (strict)
        {
            problems.AddRange(source.Keys.Where(k => !skipped.Contains(k) && !own.ContainsKey(k)).Select(k => $"unexpected '{k}'"));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"state does not fit {module.GetType().Name}: {string.Join("; ", problems)}", nameof(source));
        }

        var result = load(source, strict, skip);
        // TorchSharp's modules() lists the descendants only, without the module itself.
        foreach (var actNorm in module.modules().Prepend(module).OfType<ActNorm>())
        {
            actNorm.ForgetInitializationCache();
        }

        return result;
    }
}
