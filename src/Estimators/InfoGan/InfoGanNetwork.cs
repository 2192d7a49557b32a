using System.Globalization;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// A trained <see cref="InfoGanModel"/> with its device: infers codes from batches of images and generates images
/// from codes, in inference mode. Model calls are serialized (one at a time per network); generation seeds libtorch's
/// default generator. Persisted by <see cref="InfoGanNetworkFile"/>.
/// </summary>
internal sealed class InfoGanNetwork : IDisposable
{
    private readonly Lock _lock = new();
    private bool _disposed;

    public InfoGanNetwork(InfoGanModel model, Device device)
    {
        Model = model;
        Device = device;
        Model.eval();
    }

    public InfoGanModel Model { get; }

    public Device Device { get; }

    public InfoGanArchitecture Architecture => Model.Architecture;

    /// <summary>C·H·W of one image.</summary>
    public int Dimensions => (int)Architecture.Dimensions;

    /// <summary>
    /// Q's inference for <paramref name="count"/> images of C·H·W pixel values in [0, 255]: the class probabilities of
    /// every categorical code side by side (Σ Kᵢ per image) and the continuous means (M per image).
    /// </summary>
    public void Infer(ReadOnlySpan<float> pixels, int count, Span<float> probabilities, Span<float> continuous)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var a = Architecture;
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var images = HostCopy.ToTensor(pixels[..(count * Dimensions)], [count, a.Channels, a.Height, a.Width], Device).div_(Scalars.Of(255.0));
            var recognition = Model.Infer(images);
            var parts = new List<Tensor>();
            for (var i = 0; i < a.CategoryCounts.Count; i++)
            {
                parts.Add(recognition.LogitsOf(a.CategoryCounts, i).softmax(1));
            }

            if (parts.Count > 0)
            {
                cat(parts.ToArray(), 1).cpu().data<float>().CopyTo(probabilities);
            }

            recognition.ContinuousMean.cpu().data<float>().CopyTo(continuous);
        }
    }

    /// <summary>
    /// <paramref name="count"/> images with the classes <paramref name="categories"/> (one per categorical code) and the
    /// continuous codes <paramref name="continuous"/>, the noise drawn from <paramref name="seed"/>.
    /// </summary>
    public GlowImages Generate(IReadOnlyList<int> categories, IReadOnlyList<float> continuous, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        CheckCodes(categories, continuous);
        var rows = Enumerable.Range(0, count).Select(_ => (categories, continuous)).ToArray();
        return GenerateRows(rows, seed, sharedNoise: false);
    }

    /// <summary>
    /// The paper's Figure 2 grid with one noise vector for all images: one row per class of categorical code 0 (a single
    /// row without categorical codes), columns sweeping continuous code <paramref name="code"/> from
    /// <paramref name="from"/> to <paramref name="to"/> in <paramref name="steps"/> steps, the other continuous codes 0.
    /// </summary>
    public GlowImages Traverse(int code, int steps, float from, float to, int seed)
    {
        var a = Architecture;
        if (code < 0 || code >= a.ContinuousCodes)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, string.Create(CultureInfo.InvariantCulture, $"the model has {a.ContinuousCodes} continuous codes (0 … {a.ContinuousCodes - 1}); choose one of them to sweep"));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var classes = a.CategoryCounts.Count > 0 ? a.CategoryCounts[0] : 1;
        var rows = new List<(IReadOnlyList<int>, IReadOnlyList<float>)>();
        for (var c = 0; c < classes; c++)
        {
            for (var s = 0; s < steps; s++)
            {
                var values = new float[a.ContinuousCodes];
                values[code] = from + ((to - from) * s / (steps - 1));
                var categories = new int[a.CategoryCounts.Count];
                if (categories.Length > 0)
                {
                    categories[0] = c;
                }

                rows.Add((categories, values));
            }
        }

        return GenerateRows([.. rows], seed, sharedNoise: true);
    }

    /// <summary>
    /// One image per row into <paramref name="pixels"/> (C·H·W values in [0, 255] per row): row i has the classes
    /// <paramref name="classes"/>[i·n … i·n + n − 1] (n categorical codes, already checked), the continuous codes
    /// <paramref name="continuous"/>[i·M … i·M + M − 1], and noise drawn from <paramref name="seeds"/>[i] (the noise of
    /// <see cref="Generate"/> with that seed and count 1).
    /// </summary>
    public void GenerateBatch(ReadOnlySpan<long> classes, ReadOnlySpan<float> continuous, ReadOnlySpan<int> seeds, Span<float> pixels)
    {
        var a = Architecture;
        var count = seeds.Length;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var noise = new Tensor[count];
            for (var i = 0; i < count; i++)
            {
                manual_seed(seeds[i]).Dispose();
                noise[i] = InfoGanLatent.SampleNoise(a, 1);
            }

            var codes = new InfoGanCodes(tensor(classes.ToArray(), [count, a.CategoryCounts.Count]), tensor(continuous.ToArray(), [count, a.ContinuousCodes]));
            var latent = InfoGanLatent.Compose(a, cat(noise, 0), codes).to(Device);
            Model.Generate(latent).mul(Scalars.Of(255.0)).cpu().reshape(-1).data<float>().CopyTo(pixels);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the problem unless the codes fit the architecture.</summary>
    public void CheckCodes(IReadOnlyList<int> categories, IReadOnlyList<float> continuous)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(continuous);
        var a = Architecture;
        if (categories.Count != a.CategoryCounts.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"expected {a.CategoryCounts.Count} categorical code value(s), one per categorical code of the model, got {categories.Count}"), nameof(categories));
        }

        for (var i = 0; i < categories.Count; i++)
        {
            if (categories[i] < 0 || categories[i] >= a.CategoryCounts[i])
            {
                throw new ArgumentOutOfRangeException(nameof(categories), categories[i], string.Create(CultureInfo.InvariantCulture, $"categorical code {i} has {a.CategoryCounts[i]} classes: expected a class in 0 … {a.CategoryCounts[i] - 1}"));
            }
        }

        if (continuous.Count != a.ContinuousCodes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"expected {a.ContinuousCodes} continuous code value(s), got {continuous.Count}"), nameof(continuous));
        }

        if (continuous.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("continuous code values must be finite numbers", nameof(continuous));
        }
    }

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

    private GlowImages GenerateRows((IReadOnlyList<int> Categories, IReadOnlyList<float> Continuous)[] rows, int seed, bool sharedNoise)
    {
        var a = Architecture;
        var count = rows.Length;
        TorchRuntime.EnsureInitialized();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            manual_seed(seed).Dispose();
            var noise = sharedNoise ? InfoGanLatent.SampleNoise(a, 1).expand(count, a.NoiseSize) : InfoGanLatent.SampleNoise(a, count);
            var categories = tensor(rows.SelectMany(r => r.Categories.Select(c => (long)c)).ToArray(), [count, a.CategoryCounts.Count]);
            var continuous = tensor(rows.SelectMany(r => r.Continuous).ToArray(), [count, a.ContinuousCodes]);
            var latent = InfoGanLatent.Compose(a, noise, new InfoGanCodes(categories, continuous)).to(Device);
            var images = Model.Generate(latent).mul(Scalars.Of(255.0)).cpu().reshape(count, -1);
            var values = images.data<float>().ToArray();
            var pixels = new float[count][];
            for (var i = 0; i < count; i++)
            {
                pixels[i] = values.AsSpan(i * Dimensions, Dimensions).ToArray();
            }

            return new GlowImages(a.Channels, a.Height, a.Width, pixels);
        }
    }
}
