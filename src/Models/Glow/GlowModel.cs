using MLNetFlows.Models.Flows;
using TorchSharp.Utils;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Glow;

/// <summary>
/// Glow (Kingma and Dhariwal 2018) after openai/glow: L levels, each a squeeze followed by K steps of flow
/// (ActNorm → invertible 1×1 conv → coupling); every level but the last splits off half its channels, whose density is a
/// Gaussian with mean and log-std predicted from the kept half by a zero-initialised convolution (the learned
/// conditional prior); the last level's latent has a Gaussian prior with a learned mean and log-std per position
/// (openai/glow's learntop learns per-channel constants), or N(0, I). Differences from openai/glow, none of which
/// changes the model family: shift/scale and prior mean/log-std take the first/second half of the channels rather than
/// interleaved ones, convolutions pad with zeros (no border-indicator channel), ActNorm's log-scale has no ×3 factor,
/// and ActNorm initialises from the first training batch.
/// log p(x̃) = Σ_levels (Σ log|det| of the level's steps + log p(latent factored out at the level)).
/// A TorchSharp module: <c>forward</c>/<c>call</c> run <see cref="Evaluate"/>; state names are
/// <c>level{l}_step{k}.*</c>, <c>level{l}_prior.*</c> and <c>top_prior</c> (as bench/reference/glow_reference.py).
/// </summary>
public sealed class GlowModel : nn.Module<Tensor, GlowDensity>
{
    private readonly Squeeze[] _squeezes;
    private readonly FlowStep[][] _steps;
    private readonly ZeroConv2d[] _splitPriors;
    private readonly long[][] _latentShapes;

    [ComponentName(Name = "top_prior")]
    private Tensor _topPrior;

    /// <summary>Builds the network with fresh weights drawn from libtorch's seeded generator.</summary>
    public GlowModel(GlowArchitecture architecture)
        : base(nameof(GlowModel))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Runtime.TorchRuntime.EnsureInitialized();
        Architecture = architecture;
        var levels = architecture.Levels;
        _squeezes = new Squeeze[levels];
        _steps = new FlowStep[levels][];
        _splitPriors = new ZeroConv2d[levels - 1];
        _latentShapes = new long[levels][];
        long channels = architecture.Channels, height = architecture.Height, width = architecture.Width;
        for (var level = 0; level < levels; level++)
        {
            _squeezes[level] = new Squeeze(channels, height, width);
            register_module($"level{level}_squeeze", _squeezes[level]); // no state: keeps train()/eval()/Dispose uniform
            (channels, height, width) = (channels * 4, height / 2, width / 2);
            _steps[level] = new FlowStep[architecture.StepsPerLevel];
            for (var k = 0; k < architecture.StepsPerLevel; k++)
            {
                _steps[level][k] = new FlowStep(channels, height, width, architecture.HiddenChannels, architecture.Coupling, architecture.Permutation, architecture.SoftClamp);
                register_module($"level{level}_step{k}", _steps[level][k]);
            }

            if (level < levels - 1)
            {
                _splitPriors[level] = new ZeroConv2d(channels / 2, channels);
                register_module($"level{level}_prior", _splitPriors[level]);
                _latentShapes[level] = [channels / 2, height, width];
                channels /= 2;
            }
            else
            {
                _latentShapes[level] = [channels, height, width];
            }
        }

        // Mean and log-std of the top latent, zero at first (N(0, I)); trained only when the top prior is learned.
        var topPrior = zeros(1, channels * 2, height, width).Owned();
        if (architecture.LearnTopPrior)
        {
            var parameter = nn.Parameter(topPrior).Owned();
            register_parameter("top_prior", parameter);
            _topPrior = parameter;
        }
        else
        {
            register_buffer("top_prior", topPrior);
            _topPrior = topPrior;
        }
    }

    /// <summary>The hyper-parameters.</summary>
    public GlowArchitecture Architecture { get; }

    /// <summary>Whether every ActNorm has run its data-dependent initialisation (true after training or loading).</summary>
    public bool IsInitialized => modules().OfType<ActNorm>().All(a => a.IsInitialized);

    /// <summary>Per-sample shape of the latent factored out at each level (the last is the top latent).</summary>
    public IReadOnlyList<long[]> LatentShapes => _latentShapes;

    /// <summary>Number of model dimensions each level's latent holds (they sum to C·H·W).</summary>
    public IReadOnlyList<long> LevelDimensions => _latentShapes.Select(s => s[0] * s[1] * s[2]).ToArray();

    /// <summary>TorchSharp's entry point: <see cref="Evaluate"/> without latents.</summary>
    public override GlowDensity forward(Tensor input) => Evaluate(input);

    /// <summary>
    /// Copies parameters and buffers from <paramref name="source"/> (TorchSharp's contract), first checking every name
    /// and shape: the error lists all missing, unexpected and mismatched entries.
    /// </summary>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);

    /// <summary>
    /// Runs data → latent. Returns log p(x̃) per sample [N], its per-level parts [N, L] and, when asked, the latents.
    /// </summary>
    public GlowDensity Evaluate(Tensor x, bool keepLatents = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var h = x;
        var perLevel = new Tensor[_steps.Length];
        var latents = new Tensor[_steps.Length];
        var totalLogDet = InvertibleBlock.ZeroLogDet(x);
        for (var level = 0; level < _steps.Length; level++)
        {
            (h, var logDet) = _squeezes[level].Forward(h);
            foreach (var step in _steps[level])
            {
                (h, var stepLogDet) = step.Forward(h);
                logDet = logDet.add(stepLogDet, One);
            }

            Tensor latent;
            Tensor mean, logStd;
            if (level < _steps.Length - 1)
            {
                var half = h.size(1) / 2;
                latent = h.narrow(1, half, half);
                h = h.narrow(1, 0, half);
                (mean, logStd) = SplitPrior(level, h);
            }
            else
            {
                latent = h;
                (mean, logStd) = TopPrior(h.size(0));
            }

            totalLogDet = totalLogDet.add(logDet, One);
            perLevel[level] = logDet.add(GaussianDensity.LogProb(latent, mean, logStd), One);
            latents[level] = latent;
        }

        var parts = stack(perLevel, 1);
        var kept = keepLatents ? latents.Select(l => l.contiguous().MoveToOuterDisposeScope()).ToArray() : null;
        return new GlowDensity(parts.sum(1).MoveToOuterDisposeScope(), parts.MoveToOuterDisposeScope(), totalLogDet.MoveToOuterDisposeScope(), kept);
    }

    /// <summary>Data → latents, one per level (see <see cref="LatentShapes"/>).</summary>
    public Tensor[] Encode(Tensor x)
    {
        var density = Evaluate(x, keepLatents: true);
        density.LogDensity.Dispose();
        density.PerLevel.Dispose();
        density.LogDet.Dispose();
        return density.Latents!;
    }

    /// <summary>Latents → data: the exact inverse of <see cref="Encode"/>.</summary>
    public Tensor Decode(IReadOnlyList<Tensor> latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.Count != _steps.Length)
        {
            throw new ArgumentException($"expected {_steps.Length} latents (one per level), got {latents.Count}", nameof(latents));
        }

        return Generate(latents, temperature: 1, latents[0].size(0));
    }

    /// <summary>
    /// Draws <paramref name="count"/> samples; <paramref name="temperature"/> scales every prior's standard deviation
    /// (openai/glow samples at T ≈ 0.7 for sharper images).
    /// </summary>
    public Tensor Sample(long count, double temperature = 1)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "expected at least one sample");
        }

        if (temperature < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must not be negative");
        }

        return Generate(new Tensor?[_steps.Length], temperature, count);
    }

    private Tensor Generate(IReadOnlyList<Tensor?> latents, double temperature, long count)
    {
        if (!IsInitialized)
        {
            throw new InvalidOperationException("this Glow has not seen data yet: its ActNorm layers initialise from the first training batch, so train it (or load trained weights) before sampling or decoding");
        }

        using var scope = NewDisposeScope();
        Tensor h = null!;
        for (var level = _steps.Length - 1; level >= 0; level--)
        {
            if (level == _steps.Length - 1)
            {
                var (mean, logStd) = TopPrior(count);
                h = latents[level] ?? GaussianDensity.Sample(mean, logStd, temperature);
                CheckLatent(h, level);
            }
            else
            {
                var (mean, logStd) = SplitPrior(level, h);
                var z = latents[level] ?? GaussianDensity.Sample(mean, logStd, temperature);
                CheckLatent(z, level);
                h = cat([h, z], 1);
            }

            for (var k = _steps[level].Length - 1; k >= 0; k--)
            {
                h = _steps[level][k].Inverse(h).Output;
            }

            h = _squeezes[level].Inverse(h).Output;
        }

        return h.contiguous().MoveToOuterDisposeScope();
    }

    private void CheckLatent(Tensor z, int level)
    {
        if (!z.shape[1..].SequenceEqual(_latentShapes[level]))
        {
            throw new ArgumentException($"latent {level} must have shape [N, {string.Join(", ", _latentShapes[level])}], got {InvertibleBlock.Format(z.shape)}");
        }
    }

    private (Tensor Mean, Tensor LogStd) SplitPrior(int level, Tensor kept)
    {
        var h = _splitPriors[level].forward(kept);
        var half = h.size(1) / 2;
        return (h.narrow(1, 0, half), h.narrow(1, half, half));
    }

    private (Tensor Mean, Tensor LogStd) TopPrior(long count)
    {
        var half = _topPrior.size(1) / 2;
        var shape = _topPrior.shape;
        shape[0] = count;
        shape[1] = half;
        return (_topPrior.narrow(1, 0, half).expand(shape), _topPrior.narrow(1, half, half).expand(shape));
    }
}
