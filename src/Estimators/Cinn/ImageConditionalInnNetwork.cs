using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Cinn;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// A trained image-conditioned <see cref="ConditionalInnModel"/> with what is needed to use it on images: the original
/// image geometry, the bit depth of x and the device. Scores log p(x | c) and draws x given c in inference mode, one model
/// call per batch; latents come from <see cref="LatentNoise"/> (one seed per row). Model calls are serialized per network.
/// </summary>
internal sealed class ImageConditionalInnNetwork : IDisposable
{
    private readonly Lock _lock = new();
    private bool _disposed;

    public ImageConditionalInnNetwork(ConditionalInnModel model, int height, int width, int bits, Device device)
    {
        if (model.Architecture.Condition != ConditionKind.Image)
        {
            throw new ArgumentException("expected an image-conditioned network", nameof(model));
        }

        (Model, Height, Width, Bits, Device) = (model, height, width, bits, device);
        Model.eval();
    }

    public ConditionalInnModel Model { get; }

    public ConditionalInnArchitecture Architecture => Model.Architecture;

    public int Channels => Architecture.Channels;

    public int ConditionChannels => Architecture.ConditionImageChannels;

    public int Height { get; }

    public int Width { get; }

    public int Bits { get; }

    public Device Device { get; }

    /// <summary>C·H·W of the original images.</summary>
    public int Dimensions => Channels * Height * Width;

    /// <summary>Cc·H·W of the condition images.</summary>
    public int ConditionDimensions => ConditionChannels * Height * Width;

    /// <summary>Whether this is a colorization model: x = the two chroma channels, condition = the lightness.</summary>
    public bool IsColorization => Channels == 2 && ConditionChannels == 1;

    /// <summary>
    /// log p(x | c) in nats of the 8-bit images (bin-centre dequantisation) and bits/dim per original pixel of
    /// <paramref name="count"/> images given their condition images.
    /// </summary>
    public void Score(ReadOnlySpan<float> pixels, ReadOnlySpan<float> conditions, int count, Span<float> logLikelihood, Span<float> bitsPerDim)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            using var density = Model.Evaluate(Input(pixels, count, dequantize: false), Condition(conditions, count));
            var logDensity = density.LogDensity.to(ScalarType.Float64).cpu();
            var bins = Math.Log(GlowInput.Bins(Bits));
            HostCopy.CopyTo(logDensity.sub(tensor(Architecture.Dimensions * bins, ScalarType.Float64)).to(ScalarType.Float32), logLikelihood);
            HostCopy.CopyTo(GlowInput.BitsPerDim(logDensity, Architecture.Dimensions, Dimensions, Bits).to(ScalarType.Float32), bitsPerDim);
        }
    }

    /// <summary>
    /// One image per condition row: z ~ N(0, T²·I) drawn from that row's seed in <paramref name="seeds"/>, decoded given the
    /// condition. Writes count·C·H·W pixel values in [0, 255] into <paramref name="samples"/>.
    /// </summary>
    public void Sample(ReadOnlySpan<float> conditions, int count, double temperature, ReadOnlySpan<ulong> seeds, Span<float> samples)
    {
        if (!(temperature >= 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be a finite number ≥ 0");
        }

        var latentSize = (int)Architecture.Dimensions;
        var latent = new float[count * latentSize];
        for (var i = 0; i < count; i++)
        {
            LatentNoise.Fill(seeds[i], temperature, latent.AsSpan(i * latentSize, latentSize));
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var z = tensor(latent, [count, latentSize]).to(Device);
            var output = Model.Decode(z, Condition(conditions, count));
            HostCopy.CopyTo(GlowInput.ToPixels(output, Bits, Height, Width).to(ScalarType.Float32), samples);
        }
    }

    /// <summary>
    /// Mean conditional bits/dim (per original pixel) of the images in <paramref name="batches"/> given their condition
    /// images, under uniform dequantisation noise drawn after seeding libtorch's generator with <paramref name="seed"/>.
    /// </summary>
    public double DequantizedBitsPerDim(IEnumerable<(float[] Pixels, float[] Conditions, int Count)> batches, int seed)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            TorchSeeding.Reseed(unchecked((ulong)seed), Device);
            double sum = 0;
            long images = 0;
            foreach (var (pixels, conditions, count) in batches)
            {
                using var scope = NewDisposeScope();
                var x = Input(pixels.AsSpan(0, count * Dimensions), count, dequantize: true);
                using var density = Model.Evaluate(x, Condition(conditions.AsSpan(0, count * ConditionDimensions), count));
                sum += GlowInput.BitsPerDim(density.LogDensity, Architecture.Dimensions, Dimensions, Bits).sum().to(ScalarType.Float64).item<double>();
                images += count;
            }

            return images > 0 ? sum / images : throw new InvalidDataException("there are no images to evaluate");
        }
    }

    /// <summary>Frees the native weights (once).</summary>
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

    private Tensor Input(ReadOnlySpan<float> pixels, int count, bool dequantize)
    {
        Require(pixels.Length, count * Dimensions, count, Channels, "pixel");
        var batch = HostCopy.ToTensor(pixels, [count, Channels, Height, Width], Device);
        return GlowInput.Prepare(batch, Bits, Architecture.Height, Architecture.Width, dequantize);
    }

    private Tensor Condition(ReadOnlySpan<float> conditions, int count)
    {
        Require(conditions.Length, count * ConditionDimensions, count, ConditionChannels, "condition");
        var batch = HostCopy.ToTensor(conditions, [count, ConditionChannels, Height, Width], Device);
        return ImageConditionInput.Prepare(batch, Architecture.Height, Architecture.Width);
    }

    private void Require(int actual, int expected, int count, int channels, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"expected {count} {what} images of {channels}×{Height}×{Width} = {expected} values, got {actual}");
        }
    }
}
