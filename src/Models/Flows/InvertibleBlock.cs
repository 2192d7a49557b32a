using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// A bijection between data and latent space with a tractable Jacobian — the unit Glow and the conditional INN are
/// composed of. The contract (every block of the project satisfies it, checked by the shared block harness):
/// <list type="bullet">
/// <item><see cref="Forward"/> MUST map data x to latent y and return log|det ∂y/∂x| per sample.</item>
/// <item><see cref="Inverse"/> MUST map y back to x and return log|det ∂x/∂y| = −(the forward log-det) per sample.</item>
/// <item>The log-det MUST be a tensor of shape [N], on the input's device, with the input's dtype.</item>
/// <item>Per-sample shapes of input, output and condition are fixed at construction; a call with other shapes fails with
/// a message stating the expected and the actual shape.</item>
/// </list>
/// Subclasses implement <see cref="ForwardCore"/> and <see cref="InverseCore"/>; this base validates the arguments.
/// A block is a TorchSharp module: <c>forward</c>/<c>call</c> run <see cref="Forward"/>, and <c>parameters()</c>,
/// <c>state_dict()</c>, <c>to(device)</c>, <c>train()</c>/<c>eval()</c> work as usual.
/// </summary>
public abstract class InvertibleBlock : nn.Module<Tensor, Tensor?, (Tensor Output, Tensor LogDet)>
{
    /// <summary>Declares the per-sample shapes (without the batch dimension); the module is named after the block kind.</summary>
    protected InvertibleBlock(long[] inputShape, long[] outputShape, long[]? conditionShape = null)
        : this(nameof(InvertibleBlock), inputShape, outputShape, conditionShape)
    {
    }

    /// <summary>Declares the module name and the per-sample shapes (without the batch dimension).</summary>
    protected InvertibleBlock(string name, long[] inputShape, long[] outputShape, long[]? conditionShape = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(outputShape);
        InputShape = inputShape;
        OutputShape = outputShape;
        ConditionShape = conditionShape;
    }

    /// <summary>Per-sample shape of x, e.g. [C, H, W].</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>Per-sample shape of y.</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>Per-sample shape of the condition, or null for an unconditional block.</summary>
    public IReadOnlyList<long>? ConditionShape { get; }

    /// <summary>Maps data to latent: (y, log|det ∂y/∂x|) with the log-det per sample.</summary>
    public (Tensor Output, Tensor LogDet) Forward(Tensor x, Tensor? condition = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        Check(x, InputShape, "input");
        CheckCondition(condition, x.size(0));
        return ForwardCore(x, condition);
    }

    /// <summary>Maps latent to data: (x, log|det ∂x/∂y|) = (f⁻¹(y), −log|det ∂y/∂x|).</summary>
    public (Tensor Output, Tensor LogDet) Inverse(Tensor y, Tensor? condition = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        Check(y, OutputShape, "latent");
        CheckCondition(condition, y.size(0));
        return InverseCore(y, condition);
    }

    /// <summary>TorchSharp's entry point: the same as <see cref="Forward"/>.</summary>
    public sealed override (Tensor Output, Tensor LogDet) forward(Tensor input1, Tensor? input2) => Forward(input1, input2);

    /// <summary>
    /// Copies parameters and buffers from <paramref name="source"/> (TorchSharp's contract), first checking every name
    /// and shape: the error lists all missing, unexpected and mismatched entries.
    /// </summary>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);

    /// <summary>The forward maths; arguments are already validated.</summary>
    protected abstract (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition);

    /// <summary>The inverse maths; arguments are already validated.</summary>
    protected abstract (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition);

    /// <summary>A zero log-det of shape [N] on <paramref name="like"/>'s device and dtype.</summary>
    protected internal static Tensor ZeroLogDet(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return zeros([like.size(0)], like.dtype, like.device);
    }

    /// <summary>Formats a shape as "[a, b, c]".</summary>
    internal static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private void CheckCondition(Tensor? condition, long batch)
    {
        if (ConditionShape is null)
        {
            if (condition is not null)
            {
                throw new ArgumentException($"{GetType().Name} is unconditional but a condition of shape {Format(condition.shape)} was given", nameof(condition));
            }

            return;
        }

        if (condition is null)
        {
            throw new ArgumentException($"{GetType().Name} needs a condition of shape [N, {string.Join(", ", ConditionShape)}], got none", nameof(condition));
        }

        Check(condition, ConditionShape, "condition");
        if (condition.size(0) != batch)
        {
            throw new ArgumentException($"the condition has batch size {condition.size(0)} but the input has {batch}", nameof(condition));
        }
    }

    private void Check(Tensor t, IReadOnlyList<long> expected, string role)
    {
        var shape = t.shape;
        if (shape.Length != expected.Count + 1 || !shape[1..].SequenceEqual(expected))
        {
            throw new ArgumentException($"{GetType().Name} expected {role} of shape [N, {string.Join(", ", expected)}], got {Format(shape)}");
        }
    }
}
