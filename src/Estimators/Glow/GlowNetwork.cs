using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Trainers;
using TorchSharp;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// A trained <see cref="GlowModel"/> with what is needed to use it on images: the original image geometry, the bit
/// depth and the device. Scores batches in inference mode and generates images. Model calls are serialized (one at a
/// time per network: a call already uses the threads libtorch is given, see <see cref="Score"/>). Shared by the density
/// and the anomaly transformers; persisted by <see cref="GlowNetworkFile"/>.
/// </summary>
internal sealed class GlowNetwork : IDisposable
{
    private readonly Lock _lock = new();
    private bool _disposed;

    public GlowNetwork(GlowModel model, int channels, int height, int width, int bits, Device device)
    {
        Model = model;
        Channels = channels;
        Height = height;
        Width = width;
        Bits = bits;
        Device = device;
        Model.eval();
    }

    public GlowModel Model { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Bits { get; }

    public Device Device { get; }

    public GlowArchitecture Architecture => Model.Architecture;

    /// <summary>C·H·W of the original images (bits/dim are reported per original pixel).</summary>
    public int Dimensions => Channels * Height * Width;

    public int Levels => Architecture.Levels;

    public int LatentDimensions => (int)Architecture.Dimensions;

    /// <summary>
    /// Scores <paramref name="count"/> images given as C·H·W pixel values in [0, 255] each, with the bin-centre
    /// dequantisation (deterministic). Writes log-likelihood (nats), bits/dim, per-level bits/dim and, when
    /// <paramref name="latents"/> is not empty, the concatenated latents. On the CPU a batch of at least
    /// 2 × <see cref="InferenceWorkers.MinimumRowsPerPiece"/> images is cut into as many pieces as libtorch has threads,
    /// scored at the same time by <see cref="InferenceWorkers"/> (one libtorch thread each); otherwise in one forward pass.
    /// Each image's forward pass is independent of the others', so pieces change a row's figures only by float rounding
    /// (libtorch's kernels may differ with the batch size).
    /// </summary>
    public void Score(ReadOnlySpan<float> pixels, int count, Span<float> logLikelihood, Span<float> bitsPerDim, Span<float> levelBitsPerDim, Span<float> latents)
    {
        RequirePixels(pixels.Length, count);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var pieces = InferenceWorkers.Pieces(count, Device);
            if (pieces == 1)
            {
                ScoreRows(pixels, count, logLikelihood, bitsPerDim, levelBitsPerDim, latents);
                return;
            }

            // Spans cannot cross threads: the pieces read and write arrays, copied in and out once.
            using var pooled = new PooledArray<float>(pixels.Length);
            pixels.CopyTo(pooled.Span);
            var input = pooled.Array;
            var (logLikelihoods, bits, levelBits) = (new float[count], new float[count], new float[count * Levels]);
            var latentValues = new float[latents.Length];
            var latentWidth = latents.Length / count;
            InferenceWorkers.Run(pieces, piece =>
            {
                var (start, rows) = InferenceWorkers.Slice(count, pieces, piece);
                ScoreRows(
                    input.AsSpan(start * Dimensions, rows * Dimensions),
                    rows,
                    logLikelihoods.AsSpan(start, rows),
                    bits.AsSpan(start, rows),
                    levelBits.AsSpan(start * Levels, rows * Levels),
                    latentValues.AsSpan(start * latentWidth, rows * latentWidth));
            });
            logLikelihoods.CopyTo(logLikelihood);
            bits.CopyTo(bitsPerDim);
            levelBits.CopyTo(levelBitsPerDim);
            latentValues.CopyTo(latents);
        }
    }

    /// <summary>Log-likelihoods and bits/dim of <paramref name="count"/> images (see <see cref="Score"/>).</summary>
    public (float[] LogLikelihood, float[] BitsPerDim) ScoreBitsPerDim(ReadOnlySpan<float> pixels, int count)
    {
        var logLikelihood = new float[count];
        var bitsPerDim = new float[count];
        Score(pixels, count, logLikelihood, bitsPerDim, new float[count * Levels], []);
        return (logLikelihood, bitsPerDim);
    }

    /// <summary>
    /// Mean bits/dim (per original pixel) of all images in <paramref name="batches"/> (C·H·W pixel values in [0, 255]
    /// each) under uniform dequantisation noise drawn after seeding libtorch's generator with <paramref name="seed"/>.
    /// With <paramref name="samples"/> = k &gt; 1 each image's discrete likelihood P(x) = E_u p(x + u) is estimated by
    /// log((1/k) Σᵢ p(x + uᵢ)) — the importance-weighted bound of Burda et al. 2016 with the uniform proposal, which is
    /// still a bound in expectation (E log of a mean ≤ log of E), tightens as k grows and equals the plain one at k = 1.
    /// </summary>
    public double DequantizedBitsPerDim(IEnumerable<(float[] Pixels, int Count)> batches, int seed, int samples = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            TorchSeeding.Reseed(unchecked((ulong)seed), Device);
            double sum = 0;
            long images = 0;
            foreach (var (pixels, count) in batches)
            {
                using var scope = NewDisposeScope();
                var draws = new Tensor[samples];
                for (var i = 0; i < samples; i++)
                {
                    draws[i] = Model.Evaluate(ModelInput(pixels.AsSpan(0, count * Dimensions), count, dequantize: true)).LogDensity;
                }

                var logDensity = samples == 1 ? draws[0] : stack(draws, 0).logsumexp(0).sub(Of(Math.Log(samples)));
                sum += GlowInput.BitsPerDim(logDensity, Architecture.Dimensions, Dimensions, Bits).sum().to(ScalarType.Float64).item<double>();
                images += count;
            }

            return images > 0 ? sum / images : throw new InvalidDataException("there are no images to evaluate");
        }
    }

    /// <summary>Draws images at <paramref name="temperature"/>; <paramref name="seed"/> seeds libtorch's generator first.</summary>
    public GlowImages Sample(int count, double temperature, int? seed)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            if (seed is { } s)
            {
                TorchSeeding.Reseed(unchecked((ulong)s), Device);
            }

            return ToImages(Model.Sample(count, temperature));
        }
    }

    /// <summary>The concatenated latents (all levels) of one image.</summary>
    public float[] Encode(ReadOnlySpan<float> pixels)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var latents = Model.Encode(ModelInput(pixels, 1, dequantize: false));
            var flat = new float[LatentDimensions];
            HostCopy.CopyTo(cat(latents.Select(z => z.flatten(1)).ToArray(), 1).to(ScalarType.Float32), flat);
            return flat;
        }
    }

    /// <summary>Images from concatenated latents (<see cref="LatentDimensions"/> values each).</summary>
    public GlowImages Decode(IReadOnlyList<float[]> latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        var flat = new float[latents.Count * LatentDimensions];
        for (var i = 0; i < latents.Count; i++)
        {
            if (latents[i].Length != LatentDimensions)
            {
                throw new ArgumentException($"latent {i} has {latents[i].Length} values, expected {LatentDimensions}", nameof(latents));
            }

            latents[i].CopyTo(flat, i * LatentDimensions);
        }

        lock (_lock)
        {

            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var all = tensor(flat, [latents.Count, LatentDimensions]).to(Device);
            var parts = new List<Tensor>();
            long offset = 0;
            foreach (var shape in Model.LatentShapes)
            {
                var size = shape[0] * shape[1] * shape[2];
                parts.Add(all.narrow(1, offset, size).reshape(latents.Count, shape[0], shape[1], shape[2]));
                offset += size;
            }

            return ToImages(Model.Decode(parts));
        }
    }

    /// <summary>Frees the native weights (once; later calls do nothing, later model calls throw <see cref="ObjectDisposedException"/>).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                Model.Dispose();
            }
        }
    }

    /// <summary>One forward pass over <paramref name="count"/> images, on the calling thread (see <see cref="Score"/>).</summary>
    private void ScoreRows(ReadOnlySpan<float> pixels, int count, Span<float> logLikelihood, Span<float> bitsPerDim, Span<float> levelBitsPerDim, Span<float> latents)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var density = Model.Evaluate(ModelInput(pixels, count, dequantize: false), keepLatents: !latents.IsEmpty);
        var bins = Math.Log(GlowInput.Bins(Bits));
        HostCopy.CopyTo(density.LogDensity.sub(Of(Architecture.Dimensions * bins)).to(ScalarType.Float32), logLikelihood);
        HostCopy.CopyTo(GlowInput.BitsPerDim(density.LogDensity, Architecture.Dimensions, Dimensions, Bits).to(ScalarType.Float32), bitsPerDim);
        var levelDimensions = tensor(Model.LevelDimensions.Select(d => (float)d).ToArray(), [1, Levels]).to(density.PerLevel.dtype, Device);
        HostCopy.CopyTo(levelDimensions.mul(Of(bins)).sub(density.PerLevel).div(levelDimensions.mul(Of(Math.Log(2)))).to(ScalarType.Float32), levelBitsPerDim);
        if (!latents.IsEmpty)
        {
            HostCopy.CopyTo(cat(density.Latents!.Select(z => z.flatten(1)).ToArray(), 1).to(ScalarType.Float32), latents);
        }
    }

    private void RequirePixels(int length, int count)
    {
        var expected = count * Dimensions;
        if (length != expected)
        {
            throw new ArgumentException($"expected {count} images of {Channels}×{Height}×{Width} = {expected} pixel values, got {length}");
        }
    }

    private Tensor ModelInput(ReadOnlySpan<float> pixels, int count, bool dequantize)
    {
        RequirePixels(pixels.Length, count);
        var batch = HostCopy.ToTensor(pixels, [count, Channels, Height, Width], Device);
        return GlowInput.Prepare(batch, Bits, Architecture.Height, Architecture.Width, dequantize);
    }

    private GlowImages ToImages(Tensor modelOutput)
    {
        var count = (int)modelOutput.size(0);
        var pixels = new float[count * Dimensions];
        HostCopy.CopyTo(GlowInput.ToPixels(modelOutput, Bits, Height, Width).to(ScalarType.Float32), pixels);
        var images = new float[count][];
        for (var i = 0; i < count; i++)
        {
            images[i] = pixels.AsSpan(i * Dimensions, Dimensions).ToArray();
        }

        return new GlowImages(Channels, Height, Width, images);
    }
}
