using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Persistence;
using MLNetFlows.Torch;
using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// A trained Glow with what is needed to use it on images: the original image geometry, the bit depth and the device.
/// Scores batches in inference mode and generates images. Shared by the density and the anomaly transformers, which
/// persist it with <see cref="Save"/>: parameters "glow.architecture" (JSON), "glow.channels", "glow.height",
/// "glow.width", "glow.bits", and the weights as the safetensors entry <see cref="WeightsEntry"/>.
/// </summary>
internal sealed class GlowNetwork
{
    public const string WeightsEntry = "glow.safetensors";
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly Lock _generationLock = new();

    public GlowNetwork(GlowModel model, int channels, int height, int width, int bits, Device device)
    {
        Model = model;
        Channels = channels;
        Height = height;
        Width = width;
        Bits = bits;
        Device = device;
        Model.Eval();
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
    /// dequantisation (deterministic). Writes log-likelihood (nats), bits/dim, per-level bits/dim and, when asked, latents.
    /// </summary>
    public void Score(ReadOnlySpan<float> pixels, int count, Span<float> logLikelihood, Span<float> bitsPerDim, Span<float> levelBitsPerDim, Span<float> latents)
    {
        using var inference = Autograd.InferenceMode();
        using var scope = DisposeScope.Enter();
        var x = ModelInput(pixels, count);
        var density = Model.Evaluate(x, keepLatents: !latents.IsEmpty);
        var discretization = Architecture.Dimensions * Math.Log(GlowInput.Bins(Bits));
        (density.LogDensity - discretization).To(DType.Float32).CopyTo(logLikelihood);
        GlowInput.BitsPerDim(density.LogDensity, Architecture.Dimensions, Dimensions, Bits).To(DType.Float32).CopyTo(bitsPerDim);
        var levelDimensions = Tensor.FromArray(Model.LevelDimensions.Select(d => (float)d).ToArray(), 1, Levels).To(density.PerLevel.DType, Device);
        var levelBits = ((levelDimensions * Math.Log(GlowInput.Bins(Bits))) - density.PerLevel) / (levelDimensions * Math.Log(2));
        levelBits.To(DType.Float32).CopyTo(levelBitsPerDim);
        if (!latents.IsEmpty)
        {
            Tensor.Cat(density.Latents!.Select(z => z.Flatten(1)).ToArray(), 1).To(DType.Float32).CopyTo(latents);
        }
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
        lock (_generationLock)
        {
            using var inference = Autograd.InferenceMode();
            TorchRuntime.ManualSeed(unchecked((ulong)seed));
            double sum = 0;
            long images = 0;
            foreach (var (pixels, count) in batches)
            {
                using var scope = DisposeScope.Enter();
                var draws = new Tensor[samples];
                for (var i = 0; i < samples; i++)
                {
                    draws[i] = Model.Evaluate(ModelInput(pixels.AsSpan(0, count * Dimensions), count, dequantize: true)).LogDensity;
                }

                var logDensity = samples == 1 ? draws[0] : Tensor.Stack(draws, 0).LogSumExp([0]) - Math.Log(samples);
                sum += GlowInput.BitsPerDim(logDensity, Architecture.Dimensions, Dimensions, Bits).Sum().Item();
                images += count;
            }

            return images > 0 ? sum / images : throw new InvalidDataException("there are no images to evaluate");
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

    /// <summary>Draws images at <paramref name="temperature"/>; <paramref name="seed"/> seeds libtorch's generator first.</summary>
    public GlowImages Sample(int count, double temperature, int? seed)
    {
        lock (_generationLock)
        {
            using var inference = Autograd.InferenceMode();
            using var scope = DisposeScope.Enter();
            if (seed is { } s)
            {
                TorchRuntime.ManualSeed(unchecked((ulong)s));
            }

            return ToImages(Model.Sample(count, temperature));
        }
    }

    /// <summary>The concatenated latents (all levels) of one image.</summary>
    public float[] Encode(ReadOnlySpan<float> pixels)
    {
        using var inference = Autograd.InferenceMode();
        using var scope = DisposeScope.Enter();
        var latents = Model.Encode(ModelInput(pixels, 1));
        return Tensor.Cat(latents.Select(z => z.Flatten(1)).ToArray(), 1).To(DType.Float32).ToArray<float>();
    }

    /// <summary>Images from concatenated latents (<see cref="LatentDimensions"/> values each).</summary>
    public GlowImages Decode(IReadOnlyList<float[]> latents)
    {
        using var inference = Autograd.InferenceMode();
        using var scope = DisposeScope.Enter();
        var flat = new float[latents.Count * LatentDimensions];
        for (var i = 0; i < latents.Count; i++)
        {
            if (latents[i].Length != LatentDimensions)
            {
                throw new ArgumentException($"latent {i} has {latents[i].Length} values, expected {LatentDimensions}", nameof(latents));
            }

            latents[i].CopyTo(flat, i * LatentDimensions);
        }

        var all = Tensor.FromArray(flat, latents.Count, LatentDimensions).To(Device);
        var parts = new List<Tensor>();
        long offset = 0;
        foreach (var shape in Model.LatentShapes)
        {
            var size = shape[0] * shape[1] * shape[2];
            parts.Add(all.Narrow(1, offset, size).Reshape(latents.Count, shape[0], shape[1], shape[2]));
            offset += size;
        }

        return ToImages(Model.Decode(parts));
    }

    public void Save(ModelSaveContext ctx)
    {
        ctx.Parameters["glow.architecture"] = JsonSerializer.Serialize(Architecture, Json);
        ctx.Parameters["glow.channels"] = Channels;
        ctx.Parameters["glow.height"] = Height;
        ctx.Parameters["glow.width"] = Width;
        ctx.Parameters["glow.bits"] = Bits;
        using var stream = ctx.CreateEntry(WeightsEntry);
        SafeTensors.Write(stream, Model.StateDict(), new Dictionary<string, string> { ["format"] = "pt", ["mlnetflows.model"] = "glow" });
    }

    /// <summary>Reads and validates a network written by <see cref="Save"/>; problems become <see cref="ModelFormatException"/>s.</summary>
    public static GlowNetwork Load(ModelLoadContext ctx, Device device)
    {
        GlowArchitecture architecture;
        try
        {
            architecture = JsonSerializer.Deserialize<GlowArchitecture>(ctx.GetString("glow.architecture"), Json)
                ?? throw ctx.Error("'glow.architecture' is null");
            architecture.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw ctx.Error($"'glow.architecture' is invalid: {e.Message}");
        }

        var (channels, height, width, bits) = (ctx.GetInt32("glow.channels"), ctx.GetInt32("glow.height"), ctx.GetInt32("glow.width"), ctx.GetInt32("glow.bits"));
        if (channels != architecture.Channels || height < 1 || width < 1 || height > architecture.Height || width > architecture.Width || bits is < 1 or > 8)
        {
            throw ctx.Error(string.Create(CultureInfo.InvariantCulture, $"image geometry {channels}×{height}×{width} at {bits} bits does not fit the architecture's input {architecture.Channels}×{architecture.Height}×{architecture.Width}"));
        }

        if (!ctx.HasEntry(WeightsEntry))
        {
            throw ctx.Error($"the weights entry '{WeightsEntry}' is missing");
        }

        var model = new GlowModel(architecture);
        try
        {
            using (var weights = SafeTensors.Read(ctx.ReadEntry(WeightsEntry)))
            {
                model.LoadStateDict(weights.Tensors);
            }

            model.To(device);
            return new GlowNetwork(model, channels, height, width, bits, device);
        }
        catch (Exception e) when (e is SafeTensorsFormatException or ArgumentException)
        {
            model.Dispose();
            throw ctx.Error($"the weights in '{WeightsEntry}' do not fit the architecture: {e.Message}");
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private Tensor ModelInput(ReadOnlySpan<float> pixels, int count, bool dequantize = false)
    {
        var expected = count * Dimensions;
        if (pixels.Length != expected)
        {
            throw new ArgumentException($"expected {count} images of {Channels}×{Height}×{Width} = {expected} pixel values, got {pixels.Length}");
        }

        var batch = Tensor.FromSpan(pixels, [count, Channels, Height, Width]).To(Device);
        return GlowInput.Prepare(batch, Bits, Architecture.Height, Architecture.Width, dequantize);
    }

    private GlowImages ToImages(Tensor modelOutput)
    {
        var pixels = GlowInput.ToPixels(modelOutput, Bits, Height, Width).To(DType.Float32, Device.Cpu).ToArray<float>();
        var count = (int)modelOutput.Size(0);
        var images = new float[count][];
        for (var i = 0; i < count; i++)
        {
            images[i] = pixels.AsSpan(i * Dimensions, Dimensions).ToArray();
        }

        return new GlowImages(Channels, Height, Width, images);
    }
}
