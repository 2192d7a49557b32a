using System.Buffers.Binary;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Persistence;
using TorchSharp;
using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// The weights entry bounds what loading a model may build and read. Was: a 13 KB Glow file whose manifest says
/// StepsPerLevel 65 536 built the whole model (~17 GB over minutes) before comparing it with the weights, and a 64 MB
/// weights entry was read whole before its tensor names were checked.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class WeightsBoundsTests(TinyModel glow, OtherModels others, ITestOutputHelper output)
{
    [Theory]
    [InlineData("glow", "StepsPerLevel", 65_536)]
    [InlineData("glow", "StepsPerLevel", int.MaxValue)]
    [InlineData("glow", "HiddenChannels", 1 << 20)]
    [InlineData("cinn", "BlocksPerLevel", 65_536)]
    [InlineData("cinn", "HiddenChannels", 1 << 20)]
    [InlineData("infogan", "HiddenUnits", 1 << 24)]
    [InlineData("infogan", "ConvolutionChannels", 65_536)]
    public void AnArchitectureTooLargeForItsWeightsIsRefusedBeforeTheModelIsBuilt(string kind, string field, int value)
    {
        var entries = ModelMutator.Read(others.Of(kind, glow));
        var manifestName = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries[manifestName])!;
        var architecture = manifest["parameters"]![$"{kind}.architecture"]!;
        Assert.NotNull(architecture[field]);
        architecture[field] = value;
        entries[manifestName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var file = ModelMutator.Write(entries);

        var (error, cost) = Measure(() => Load(file));

        output.WriteLine($"{kind} {field} = {value}: {cost}; {error?.GetBaseException().Message}");
        var cause = Assert.IsType<ModelFormatException>(error?.GetBaseException());
        Assert.Contains("the architecture in the manifest needs at least", cause.Message, StringComparison.Ordinal);
        Assert.Contains("the architecture does not match the weights", cause.Message, StringComparison.Ordinal);
        cost.AssertSmall(file.Length);
    }

    [Theory]
    [InlineData("glow")]
    [InlineData("cinn")]
    [InlineData("infogan")]
    public void AWeightsEntryLargerThanTheArchitectureNeedsIsRefusedBeforeItIsRead(string kind)
    {
        const int bytes = 64 << 20;
        var entries = ModelMutator.Read(others.Of(kind, glow));
        var weightsName = entries.Keys.Single(n => n.EndsWith("weights.safetensors", StringComparison.Ordinal));
        entries[weightsName] = ZeroTensor(bytes);
        Redeclare(entries, weightsName);
        var file = ModelMutator.Write(entries);

        var (error, cost) = Measure(() => Load(file));

        output.WriteLine($"{kind}, 64 MB weights entry: {cost}; {error?.GetBaseException().Message}");
        var cause = Assert.IsType<ModelFormatException>(error?.GetBaseException());
        Assert.Contains("'weights.safetensors' holds 67,108,", cause.Message, StringComparison.Ordinal);
        Assert.Contains("the architecture's", cause.Message, StringComparison.Ordinal);
        Assert.True(cost.ManagedBytes < 8L << 20, $"{cost}: the entry was read into memory");
        Assert.True(cost.Elapsed < TimeSpan.FromSeconds(10), cost.ToString());
    }

    /// <summary>The bounds the loaders check must never refuse a real model: each is at most the model's true size.</summary>
    [Fact]
    public void TheParameterLowerBoundsAreAtMostTheTrueCountsAndNotFarBelow()
    {
        GlowArchitecture[] glows =
        [
            new() { Channels = 1, Height = 32, Width = 32 },
            new() { Channels = 3, Height = 16, Width = 8, Levels = 2, StepsPerLevel = 3, HiddenChannels = 4, Coupling = Models.Flows.CouplingKind.Additive, LearnTopPrior = false },
            new() { Channels = 1, Height = 8, Width = 8, Levels = 1, StepsPerLevel = 1, HiddenChannels = 1, Permutation = Models.Flows.ConvolutionParameterization.Plain },
        ];
        ConditionalInnArchitecture[] cinns =
        [
            new() { Channels = 1, Height = 28, Width = 28, NumberOfClasses = 10 },
            new() { Channels = 3, Height = 8, Width = 16, Levels = 3, BlocksPerLevel = 2, HiddenChannels = 4, NumberOfClasses = 2, ClassEncoding = ClassEncoding.Embedding, EmbeddingDimension = 3 },
            new() { Channels = 2, Height = 16, Width = 16, Levels = 2, BlocksPerLevel = 1, HiddenChannels = 8, Condition = ConditionKind.Image, ConditionImageChannels = 1, ConditionFeatureChannels = 4 },
        ];
        InfoGanArchitecture[] infoGans =
        [
            new() { Channels = 1, Height = 28, Width = 28 },
            new() { Channels = 3, Height = 8, Width = 12, NoiseSize = 0, CategoryCounts = [], ContinuousCodes = 1, HiddenUnits = 2, ConvolutionChannels = 1, RecognitionUnits = 1 },
        ];

        foreach (var architecture in glows)
        {
            CheckBound(Bound("Glow.GlowNetworkFile", architecture), () => new GlowModel(architecture), architecture.ToString());
        }

        foreach (var architecture in cinns)
        {
            CheckBound(Bound("Cinn.ConditionalInnNetworkFile", architecture), () => new ConditionalInnModel(architecture), architecture.ToString());
        }

        foreach (var architecture in infoGans)
        {
            CheckBound(Bound("InfoGan.InfoGanNetworkFile", architecture), () => new InfoGanModel(architecture), architecture.ToString());
        }
    }

    private static void CheckBound(long bound, Func<torch.nn.Module> create, string architecture)
    {
        using var module = create();
        var count = module.state_dict().Values.Sum(t => t.NumberOfElements);
        Assert.True(bound <= count && bound * 4 >= count, $"{architecture}: lower bound {bound}, true count {count}");
    }

    /// <summary>Calls the internal MinimumParameters of a network file (MLNetFlows.Estimators does not expose its internals to this assembly).</summary>
    private static long Bound(string networkFile, object architecture)
    {
        var type = typeof(Estimators.Glow.GlowTransformer).Assembly.GetType($"MLNetFlows.Estimators.{networkFile}", throwOnError: true)!;
        var method = type.GetMethod("MinimumParameters", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [architecture.GetType()])!;
        return (long)method.Invoke(null, [architecture])!;
    }

    private static void Load(byte[] file)
    {
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();
        var model = ml.Model.Load(new MemoryStream(file), out _);
        (model as IDisposable)?.Dispose();
    }

    /// <summary>A valid safetensors entry of <paramref name="bytes"/> bytes: one float32 tensor of zeros.</summary>
    private static byte[] ZeroTensor(int bytes)
    {
        var elements = (bytes - 256) / 4;
        var header = Encoding.UTF8.GetBytes($"{{\"zeros\":{{\"dtype\":\"F32\",\"shape\":[{elements}],\"data_offsets\":[0,{elements * 4}]}}}}");
        var padded = (header.Length + 7) / 8 * 8;
        var content = new byte[8 + padded + (elements * 4)];
        BinaryPrimitives.WriteUInt64LittleEndian(content, (ulong)padded);
        header.CopyTo(content, 8);
        content.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        return content;
    }

    private static void Redeclare(Dictionary<string, byte[]> entries, string entryPath)
    {
        var manifestName = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries[manifestName])!;
        foreach (var entry in manifest["entries"]!.AsArray().Where(e => (string?)e?["name"] == "weights.safetensors"))
        {
            entry!["bytes"] = entries[entryPath].LongLength;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(entries[entryPath]));
        }

        entries[manifestName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
    }

    /// <summary>Runs <paramref name="load"/>, returning what it threw and what it cost.</summary>
    private static (Exception? Error, LoadCost Cost) Measure(Action load)
    {
        var peakBefore = PeakResidentBytes();
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var error = Record.Exception(load);
        return (error, new LoadCost(clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - managedBefore, PeakResidentBytes() - peakBefore));
    }

    /// <summary>The process's peak resident set (VmHWM), which native allocations by libtorch raise as well.</summary>
    private static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private sealed record LoadCost(TimeSpan Elapsed, long ManagedBytes, long PeakResidentGrowth)
    {
        /// <summary>Refused in under 2 s, with under 16 MB managed and 64 MB of peak resident set more (the model file is ~20–100 KB).</summary>
        public void AssertSmall(int fileBytes)
        {
            Assert.True(Elapsed < TimeSpan.FromSeconds(2) && ManagedBytes < 16L << 20 && PeakResidentGrowth < 64L << 20, $"file of {fileBytes} bytes: {this}");
        }

        public override string ToString() => $"{Elapsed.TotalMilliseconds:F0} ms, {ManagedBytes >> 10} KB managed, peak RSS +{PeakResidentGrowth >> 20} MB";
    }
}
