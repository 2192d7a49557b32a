using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Trainers;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// A trained class-conditional <see cref="ConditionalInnModel"/> with what is needed to use it on images: the original
/// image geometry, the bit depth, the device and the class log-priors log p(c). Scores batches in inference mode (every
/// row under every class, one model call) and generates images. Model calls are serialized per network.
/// </summary>
internal sealed class ConditionalInnNetwork : IDisposable
{
    private readonly Lock _lock = new();
    private bool _disposed;

    public ConditionalInnNetwork(ConditionalInnModel model, int height, int width, int bits, double[] logPriors, Device device)
    {
        if (logPriors.Length != model.Architecture.NumberOfClasses)
        {
            throw new ArgumentException($"expected {model.Architecture.NumberOfClasses} class log-priors, got {logPriors.Length}", nameof(logPriors));
        }

        Model = model;
        Height = height;
        Width = width;
        Bits = bits;
        LogPriors = logPriors;
        Device = device;
        Model.eval();
    }

    public ConditionalInnModel Model { get; }

    public ConditionalInnArchitecture Architecture => Model.Architecture;

    public int Channels => Architecture.Channels;

    public int Height { get; }

    public int Width { get; }

    public int Bits { get; }

    public int Classes => Architecture.NumberOfClasses;

    public IReadOnlyList<double> LogPriors { get; }

    public Device Device { get; }

    /// <summary>C·H·W of the original images.</summary>
    public int Dimensions => Channels * Height * Width;

    /// <summary>
    /// Scores <paramref name="count"/> images (C·H·W pixel values in [0, 255] each, bin-centre dequantisation) under every
    /// class in one pass: writes log p(x | c) + log p(c)'s softmax (the posterior) into <paramref name="posteriors"/>
    /// [count·K], the MAP class into <paramref name="predicted"/> and, for rows with a known class
    /// (<paramref name="classes"/> not empty), log p(x | c_row) in nats and bits/dim.
    /// </summary>
    public void Score(ReadOnlySpan<float> pixels, int count, ReadOnlySpan<int> classes, Span<float> logLikelihood, Span<float> bitsPerDim, Span<float> posteriors, Span<int> predicted)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var perClass = Model.LogDensityPerClass(ModelInput(pixels, count)).to(ScalarType.Float64).cpu();
            var joint = perClass.add(tensor(LogPriors.ToArray(), [1, Classes], ScalarType.Float64), Scalars.One);
            HostCopy.CopyTo(joint.softmax(1).to(ScalarType.Float32), posteriors);
            HostCopy.CopyTo(joint.argmax(1).to(ScalarType.Int32), predicted);
            if (!classes.IsEmpty)
            {
                var rows = tensor(classes.ToArray().Select(c => (long)c).ToArray(), [count, 1]);
                var logDensity = perClass.gather(1, rows).flatten();
                var bins = Math.Log(GlowInput.Bins(Bits));
                HostCopy.CopyTo(logDensity.sub(Scalars.Of(Architecture.Dimensions * bins)).to(ScalarType.Float32), logLikelihood);
                HostCopy.CopyTo(GlowInput.BitsPerDim(logDensity, Architecture.Dimensions, Dimensions, Bits).to(ScalarType.Float32), bitsPerDim);
            }
        }
    }

    /// <summary>
    /// Mean conditional bits/dim (per original pixel) of the images in <paramref name="batches"/> given their classes,
    /// under uniform dequantisation noise drawn after seeding libtorch's generator with <paramref name="seed"/>.
    /// </summary>
    public double DequantizedBitsPerDim(IEnumerable<(float[] Pixels, int[] Classes, int Count)> batches, int seed)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            TorchSeeding.Reseed(unchecked((ulong)seed), Device);
            double sum = 0;
            long images = 0;
            foreach (var (pixels, classes, count) in batches)
            {
                using var scope = NewDisposeScope();
                var x = Prepare(pixels.AsSpan(0, count * Dimensions), count, dequantize: true);
                var labels = tensor(classes.Take(count).Select(c => (long)c).ToArray()).to(Device);
                using var density = Model.Evaluate(x, labels);
                sum += GlowInput.BitsPerDim(density.LogDensity, Architecture.Dimensions, Dimensions, Bits).sum().to(ScalarType.Float64).item<double>();
                images += count;
            }

            return images > 0 ? sum / images : throw new InvalidDataException("there are no images to evaluate");
        }
    }

    /// <summary>Draws <paramref name="count"/> images of class <paramref name="classIndex"/> at <paramref name="temperature"/>.</summary>
    public GlowImages Sample(int classIndex, int count, double temperature, int? seed)
    {
        if (classIndex < 0 || classIndex >= Classes)
        {
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"the class must be one of 0 … {Classes - 1}");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            if (seed is { } s)
            {
                TorchSeeding.Reseed(unchecked((ulong)s), Device);
            }

            var output = Model.Sample(full(count, Scalars.Of((long)classIndex), ScalarType.Int64, Device), temperature);
            var all = new float[count * Dimensions];
            HostCopy.CopyTo(GlowInput.ToPixels(output, Bits, Height, Width).to(ScalarType.Float32), all);
            var images = new float[count][];
            for (var i = 0; i < count; i++)
            {
                images[i] = all.AsSpan(i * Dimensions, Dimensions).ToArray();
            }

            return new GlowImages(Channels, Height, Width, images);
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

    private Tensor ModelInput(ReadOnlySpan<float> pixels, int count) => Prepare(pixels, count, dequantize: false);

    private Tensor Prepare(ReadOnlySpan<float> pixels, int count, bool dequantize)
    {
        var expected = count * Dimensions;
        if (pixels.Length != expected)
        {
            throw new ArgumentException($"expected {count} images of {Channels}×{Height}×{Width} = {expected} pixel values, got {pixels.Length}");
        }

        var batch = HostCopy.ToTensor(pixels, [count, Channels, Height, Width], Device);
        return GlowInput.Prepare(batch, Bits, Architecture.Height, Architecture.Width, dequantize);
    }
}
