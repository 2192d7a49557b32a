using MLNetFlows.Models.Flows;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Cinn;

/// <summary>
/// A class label c ∈ {0 … K − 1} (Int64 [N]) as condition feature maps: one-hot (K channels) or a learned embedding
/// (E channels, initialised N(0, 1)), constant over the image and broadcast to every level's resolution.
/// State names: <c>embedding</c> (embedding only).
/// </summary>
public sealed class ClassConditionEncoder : ConditionEncoder
{
    [ComponentName(Name = "embedding")]
    private Parameter? _embedding;

    /// <summary>Creates the encoder, drawing the embedding from libtorch's generator.</summary>
    public ClassConditionEncoder(ConditionalInnArchitecture architecture)
        : base(nameof(ClassConditionEncoder), architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (architecture.ClassEncoding == ClassEncoding.Embedding)
        {
            _embedding = nn.Parameter(randn(architecture.NumberOfClasses, architecture.EmbeddingDimension)).Owned();
            register_parameter("embedding", _embedding);
        }
    }

    /// <inheritdoc />
    public override long[] ConditionShape => [];

    /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="condition"/> is Int64 [N] indices in 0 … K − 1.</summary>
    internal static void CheckIndices(Tensor condition, int classes)
    {
        if (condition.dim() != 1 || condition.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"a class condition must be Int64 class indices of shape [N], got {condition.dtype} {InvertibleBlock.Format(condition.shape)}", nameof(condition));
        }

        using var scope = NewDisposeScope();
        if (condition.numel() > 0 && (condition.min().item<long>() < 0 || condition.max().item<long>() >= classes))
        {
            throw new ArgumentException($"class indices must lie in 0 … {classes - 1}, got values from {condition.min().item<long>()} to {condition.max().item<long>()}", nameof(condition));
        }
    }

    /// <inheritdoc />
    public override Tensor[] Encode(Tensor condition, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(like);
        var classes = Architecture.NumberOfClasses;
        CheckIndices(condition, classes);
        using var scope = NewDisposeScope();
        var labels = condition.to(like.device);
        var code = _embedding is null
            ? nn.functional.one_hot(labels, classes).to(like.dtype)
            : _embedding.to(like.dtype).index_select(0, labels);
        var maps = new Tensor[Architecture.Levels];
        for (var level = 0; level < maps.Length; level++)
        {
            var (height, width) = Resolution(level);
            maps[level] = code.view(code.size(0), code.size(1), 1, 1).expand(code.size(0), code.size(1), height, width).MoveToOuterDisposeScope();
        }

        return maps;
    }
}
