using MLNetFlows.Models.Flows;
using TorchSharp;
using TorchSharp.Utils;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Cinn;

/// <summary>
/// The conditional invertible neural network of Ardizzone et al. (2019), "Guided Image Generation with Conditional
/// Invertible Neural Networks": a bijection z = f(x; c) with a standard normal latent, so
/// log p(x | c) = log N(f(x; c); 0, I) + log|det ∂f/∂x| (or, with the <see cref="LatentPrior.ClassGaussian"/> prior,
/// log N(f(x; c); μ_c, diag σ_c²) + log|det ∂f/∂x|). Level l: downsampling (Haar wavelets or squeeze), then
/// <see cref="ConditionalInnArchitecture.BlocksPerLevel"/> × (<see cref="ConditionalGlowCoupling"/> seeing the
/// condition's feature maps at this resolution → <see cref="FixedOrthogonalMixing"/>); every level but the last splits
/// off the second half of its channels as latent. The condition goes through a <see cref="ConditionEncoder"/>
/// (<see cref="ClassConditionEncoder"/> or <see cref="ImageConditionNetwork"/>) trained with the flow. A TorchSharp
/// module: <c>forward</c> returns log p(x | c); state names <c>condition.*</c>, <c>level{l}_coupling{k}.*</c>,
/// <c>level{l}_mixing{k}.weight</c> and, with the class prior, <c>prior.*</c>.
/// </summary>
public sealed class ConditionalInnModel : nn.Module<Tensor, Tensor, Tensor>
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);
    private readonly InvertibleBlock[] _downsampling;
    private readonly ConditionalGlowCoupling[][] _couplings;
    private readonly FixedOrthogonalMixing[][] _mixings;
    private readonly long[][] _latentShapes;

    [ComponentName(Name = "condition")]
    private ConditionEncoder _encoder;

    [ComponentName(Name = "prior")]
    private ClassConditionalPrior? _prior;

    /// <summary>Builds the network with fresh weights drawn from libtorch's seeded generator.</summary>
    public ConditionalInnModel(ConditionalInnArchitecture architecture)
        : base(nameof(ConditionalInnModel))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Runtime.TorchRuntime.EnsureInitialized();
        Architecture = architecture;
        _encoder = architecture.Condition == ConditionKind.Class ? new ClassConditionEncoder(architecture) : new ImageConditionNetwork(architecture);
        register_module("condition", _encoder);
        var levels = architecture.Levels;
        _downsampling = new InvertibleBlock[levels];
        _couplings = new ConditionalGlowCoupling[levels][];
        _mixings = new FixedOrthogonalMixing[levels][];
        _latentShapes = new long[levels][];
        long channels = architecture.Channels, height = architecture.Height, width = architecture.Width;
        for (var level = 0; level < levels; level++)
        {
            _downsampling[level] = architecture.Downsampling == DownsamplingKind.Haar
                ? new HaarDownsampling(channels, height, width)
                : new Squeeze(channels, height, width);
            register_module($"level{level}_downsampling", _downsampling[level]); // no state: keeps train()/eval()/Dispose uniform
            (channels, height, width) = (channels * 4, height / 2, width / 2);
            _couplings[level] = new ConditionalGlowCoupling[architecture.BlocksPerLevel];
            _mixings[level] = new FixedOrthogonalMixing[architecture.BlocksPerLevel];
            for (var k = 0; k < architecture.BlocksPerLevel; k++)
            {
                _couplings[level][k] = new ConditionalGlowCoupling(channels, height, width, architecture.HiddenChannels, architecture.ConditionChannels, architecture.SoftClamp);
                _mixings[level][k] = new FixedOrthogonalMixing(channels, height, width);
                register_module($"level{level}_coupling{k}", _couplings[level][k]);
                register_module($"level{level}_mixing{k}", _mixings[level][k]);
            }

            var kept = level < levels - 1 ? channels / 2 : 0; // the last level's whole output is latent
            _latentShapes[level] = [channels - kept, height, width];
            channels = kept;
        }

        if (architecture.Prior == LatentPrior.ClassGaussian)
        {
            _prior = new ClassConditionalPrior(architecture.NumberOfClasses, architecture.Dimensions);
            register_module("prior", _prior);
        }
    }

    /// <summary>The hyper-parameters.</summary>
    public ConditionalInnArchitecture Architecture { get; }

    /// <summary>The module that turns conditions into feature maps.</summary>
    public ConditionEncoder ConditionEncoder => _encoder;

    /// <summary>Per-sample shape of the latent split off at each level (the last is the top latent).</summary>
    public IReadOnlyList<long[]> LatentShapes => _latentShapes;

    /// <summary>TorchSharp's entry point: log p(x | c) per sample.</summary>
    public override Tensor forward(Tensor input, Tensor condition)
    {
        using var density = Evaluate(input, condition);
        return density.LogDensity.alias();
    }

    /// <summary>
    /// Copies parameters and buffers from <paramref name="source"/> (TorchSharp's contract), first checking every name
    /// and shape: the error lists all missing, unexpected and mismatched entries.
    /// </summary>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);

    /// <summary>
    /// Runs x → z given the condition (class indices Int64 [N], or an image [N, Cc, H, W]): log p(x | c) per sample, the
    /// summed log-det and, when asked, the concatenated latents [N, C·H·W].
    /// </summary>
    public ConditionalInnDensity Evaluate(Tensor x, Tensor condition, bool keepLatent = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(condition);
        CheckInput(x);
        using var scope = NewDisposeScope();
        // A class condition has K distinct feature maps: the couplings convolve those once and gather them per sample.
        var classes = Architecture.Condition == ConditionKind.Class;
        if (classes)
        {
            ClassConditionEncoder.CheckIndices(condition, Architecture.NumberOfClasses);
        }

        var features = classes ? _encoder.Encode(ClassIndices(x.device), x) : _encoder.Encode(condition, x);
        var labels = classes ? condition.to(x.device) : null;

        CheckBatch(condition, x.size(0));
        var h = x;
        var logDet = InvertibleBlock.ZeroLogDet(x);
        var logPrior = InvertibleBlock.ZeroLogDet(x);
        var latents = new List<Tensor>();
        for (var level = 0; level < _couplings.Length; level++)
        {
            (h, var downLogDet) = _downsampling[level].Forward(h);
            logDet = logDet.add(downLogDet, One);
            for (var k = 0; k < _couplings[level].Length; k++)
            {
                (h, var couplingLogDet) = labels is null ? _couplings[level][k].Forward(h, features[level]) : _couplings[level][k].ForwardForClasses(h, features[level], labels);
                (h, var mixingLogDet) = _mixings[level][k].Forward(h);
                logDet = logDet.add(couplingLogDet, One).add(mixingLogDet, One);
            }

            var latentChannels = _latentShapes[level][0];
            var latent = h.narrow(1, h.size(1) - latentChannels, latentChannels);
            h = h.narrow(1, 0, h.size(1) - latentChannels);
            latents.Add(latent.flatten(1));
            if (_prior is null)
            {
                logPrior = logPrior.add(StandardNormalLogProb(latent), One);
            }
        }

        var latentAll = keepLatent || _prior is not null ? cat(latents, 1) : null;
        if (_prior is not null)
        {
            logPrior = _prior.LogProb(latentAll!, labels!);
        }

        latentAll = keepLatent ? latentAll!.MoveToOuterDisposeScope() : null;
        return new ConditionalInnDensity(logPrior.add(logDet, One).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope(), latentAll);
    }

    /// <summary>
    /// log p(x | c) of every sample under every class, [N, K] (class condition only), in one pass over N·K rows.
    /// </summary>
    public Tensor LogDensityPerClass(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Architecture.Condition != ConditionKind.Class)
        {
            throw new InvalidOperationException("log-densities per class need a class-conditional network; this one is conditioned on images");
        }

        CheckInput(x);
        using var scope = NewDisposeScope();
        var (count, classes) = (x.size(0), (long)Architecture.NumberOfClasses);
        var repeated = x.unsqueeze(1).expand([count, classes, .. x.shape[1..]]).reshape([count * classes, .. x.shape[1..]]);
        var labels = ClassIndices(x.device).repeat(count);
        using var density = Evaluate(repeated, labels);
        return density.LogDensity.view(count, classes).MoveToOuterDisposeScope();
    }

    /// <summary>z → x given the condition: the exact inverse of the latents <see cref="Evaluate"/> returns.</summary>
    public Tensor Decode(Tensor latent, Tensor condition)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(condition);
        if (latent.dim() != 2 || latent.size(1) != Architecture.Dimensions)
        {
            throw new ArgumentException($"the latent must have shape [N, {Architecture.Dimensions}], got {InvertibleBlock.Format(latent.shape)}", nameof(latent));
        }

        using var scope = NewDisposeScope();
        var features = _encoder.Encode(condition, latent);
        CheckBatch(condition, latent.size(0));
        var parts = new Tensor[_latentShapes.Length];
        long offset = 0;
        for (var level = 0; level < parts.Length; level++)
        {
            var shape = _latentShapes[level];
            var size = shape[0] * shape[1] * shape[2];
            parts[level] = latent.narrow(1, offset, size).reshape(latent.size(0), shape[0], shape[1], shape[2]);
            offset += size;
        }

        Tensor h = null!;
        for (var level = _couplings.Length - 1; level >= 0; level--)
        {
            h = level == _couplings.Length - 1 ? parts[level] : cat([h, parts[level]], 1);
            for (var k = _couplings[level].Length - 1; k >= 0; k--)
            {
                h = _mixings[level][k].Inverse(h).Output;
                h = _couplings[level][k].Inverse(h, features[level]).Output;
            }

            h = _downsampling[level].Inverse(h).Output;
        }

        return h.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One sample per condition row: z ~ N(0, T²·I) (with the class prior, μ_c + T·σ_c·ε) decoded given the condition
    /// (T = <paramref name="temperature"/>), drawn from libtorch's generator.
    /// </summary>
    public Tensor Sample(Tensor condition, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!(temperature >= 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be a non-negative number");
        }

        if (condition.dim() < 1 || condition.size(0) < 1)
        {
            throw new ArgumentException("expected at least one condition row to sample for", nameof(condition));
        }

        using var scope = NewDisposeScope();
        var dtype = parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32;
        var noise = randn([condition.size(0), Architecture.Dimensions], dtype, condition.device);
        return Decode(FromStandardLatent(noise.mul(Varying(temperature, noise)), condition), condition).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The latents [N, D] of the prior's standardised draws <paramref name="noise"/> (ε·T) given the condition: the noise
    /// itself under the standard normal prior, μ_c + σ_c·ε·T under the class prior. <see cref="Sample"/> decodes these.
    /// </summary>
    public Tensor FromStandardLatent(Tensor noise, Tensor condition)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(condition);
        if (_prior is null)
        {
            return noise.alias();
        }

        ClassConditionEncoder.CheckIndices(condition, Architecture.NumberOfClasses);
        CheckBatch(condition, noise.size(0));
        return _prior.FromStandard(noise, condition);
    }

    private static Tensor StandardNormalLogProb(Tensor z)
    {
        using var scope = NewDisposeScope();
        var flat = z.flatten(1);
        // Of(...) caches one constant per latent size (a handful per model), kept alive for the process.
        return flat.mul(flat).sum(1).add(Of(flat.size(1) * LogTwoPi), One).mul(Of(-0.5)).MoveToOuterDisposeScope();
    }

    private Tensor ClassIndices(Device device) => arange(Of(0L), Of((long)Architecture.NumberOfClasses), Of(1L), ScalarType.Int64, device);

    private void CheckInput(Tensor x)
    {
        long[] expected = [Architecture.Channels, Architecture.Height, Architecture.Width];
        if (x.dim() != 4 || !x.shape[1..].SequenceEqual(expected))
        {
            throw new ArgumentException($"the conditional INN expects input of shape [N, {string.Join(", ", expected)}], got {InvertibleBlock.Format(x.shape)}");
        }
    }

    private static void CheckBatch(Tensor condition, long batch)
    {
        if (condition.size(0) != batch)
        {
            throw new ArgumentException($"the condition has {condition.size(0)} rows but the input has {batch}", nameof(condition));
        }
    }
}
