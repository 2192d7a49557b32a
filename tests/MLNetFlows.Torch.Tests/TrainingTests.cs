using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Optim;

namespace MLNetFlows.Torch.Tests;

/// <summary>Training-loop properties: reproducibility and exact resume.</summary>
public sealed class TrainingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnf-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void TrainSteps(Sequential model, Optimizer optimizer, int firstStep, int steps)
    {
        for (var step = firstStep; step < firstStep + steps; step++)
        {
            using var scope = DisposeScope.Enter();
            TorchRuntime.ManualSeed((ulong)(1000 + step)); // the batch depends on the step only
            var x = Tensor.Randn([16, 1, 12, 12]);
            var y = Tensor.RandInt(0, 10, [16]);
            optimizer.ZeroGrad();
            Functional.CrossEntropy(model.Forward(x), y).Backward();
            optimizer.Step();
        }
    }

    private static float[] Weights(Module model) =>
        model.NamedParameters().Concat(model.NamedBuffers()).SelectMany(p => p.Value.ToArray<float>()).ToArray();

    public static TheoryData<string> Optimizers() => ["adam", "adamax"];

    private static Optimizer Create(string kind, Module model) =>
        kind == "adam" ? new Adam(model.Parameters(), 1e-3) : new Adamax(model.Parameters(), 2e-3);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void SameSeedGivesBitIdenticalWeightsAfterTwentySteps(string kind)
    {
        using var leaks = new LeakCheck();
        float[] Run()
        {
            TorchRuntime.ManualSeed(42);
            using var model = TinyNets.Classifier();
            using var optimizer = Create(kind, model);
            TrainSteps(model, optimizer, 0, 20);
            return Weights(model);
        }

        var first = Run();
        var second = Run();

        Assert.Equal(first, second);
        TorchRuntime.ManualSeed(42);
        using var untrained = TinyNets.Classifier();
        Assert.NotEqual(first, Weights(untrained));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ResumingFromSavedWeightsAndOptimizerStateEqualsUninterruptedTraining(string kind)
    {
        using var leaks = new LeakCheck();
        TorchRuntime.ManualSeed(7);
        using var reference = TinyNets.Classifier();
        using var referenceOptimizer = Create(kind, reference);
        TrainSteps(reference, referenceOptimizer, 0, 10);

        TorchRuntime.ManualSeed(7);
        using (var first = TinyNets.Classifier())
        using (var firstOptimizer = Create(kind, first))
        {
            TrainSteps(first, firstOptimizer, 0, 5);
            Serialization.SafeTensors.Save(Path.Combine(_directory, "model.safetensors"), first.StateDict());
            firstOptimizer.SaveState(Path.Combine(_directory, "optimizer.safetensors"));
        }

        TorchRuntime.ManualSeed(999); // a different init, fully overwritten by the checkpoint
        using var resumed = TinyNets.Classifier();
        using (var checkpoint = Serialization.SafeTensors.Load(Path.Combine(_directory, "model.safetensors")))
        {
            resumed.LoadStateDict(checkpoint.Tensors);
        }

        using var resumedOptimizer = Create(kind, resumed);
        resumedOptimizer.LoadState(Path.Combine(_directory, "optimizer.safetensors"));
        TrainSteps(resumed, resumedOptimizer, 5, 5);

        Assert.Equal(Weights(reference), Weights(resumed));
    }

    [Fact]
    public void TinyConvNetLossFallsOnARealFashionMnistBatch()
    {
        using var leaks = new LeakCheck();
        var (images, labels) = Transforms.Datasets.FashionMnist.LoadRaw(train: true);
        TorchRuntime.ManualSeed(3);
        using var scope = DisposeScope.Enter();
        var x = (Tensor.FromSpan(images.Pixels.Span[..(256 * 784)], [256, 1, 28, 28]).To(DType.Float32) / 255.0) - 0.5;
        var y = Tensor.FromSpan<byte>(labels.AsSpan(0, 256), [256]).To(DType.Int64);
        using var model = TinyNets.Classifier(side: 28);
        using var optimizer = new Adam(model.Parameters(), 3e-3);
        var losses = new List<double>();
        for (var step = 0; step < 40; step++)
        {
            using var stepScope = DisposeScope.Enter();
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            losses.Add(loss.Item());
        }

        Assert.True(losses[^1] < losses[0] * 0.5, $"cross-entropy went from {losses[0]:F3} to {losses[^1]:F3}");
    }

    [Fact]
    public void LoadingStateOfAnotherOptimizerKindIsRefused()
    {
        using var model = new Linear(2, 2);
        using var adam = new Adam(model.Parameters());
        var path = Path.Combine(_directory, "adam.safetensors");
        adam.SaveState(path);
        using var adamax = new Adamax(model.Parameters());

        var error = Assert.Throws<InvalidDataException>(() => adamax.LoadState(path));

        Assert.Equal($"'{path}': the state is of optimizer 'adam', expected 'adamax'", error.Message);
    }

    [Fact]
    public void LearningRateCanBeScheduled()
    {
        using var model = new Linear(2, 2);
        using var adam = new Adam(model.Parameters(), 1e-3);

        adam.LearningRate = 5e-4;

        Assert.Equal(5e-4, adam.LearningRate);
    }

    [Fact]
    public void GradientClippingBoundsTheJointNorm()
    {
        using var leaks = new LeakCheck();
        using var a = Tensor.FromArray(new float[] { 3, 4 }).RequiresGrad_();
        using (DisposeScope.Enter())
        {
            (a * a).Sum().Backward(); // grad = 2a = (6, 8), norm 10
        }

        var norm = GradientClipping.ClipGradNorm([a], 1.0);

        Assert.Equal(10, norm, 5);
        using var grad = a.Grad!;
        var clipped = grad.ToArray<float>();
        Assert.Equal(0.6, clipped[0], 4);
        Assert.Equal(0.8, clipped[1], 4);
    }

    [Fact]
    public void ModuleMovesToItsOwnDeviceKeepingIdentity()
    {
        using var model = new Linear(2, 2);
        var weight = model.Weight;

        model.To(Device.Cpu);

        Assert.Same(weight, model.Parameters()[0]);
        Assert.Equal(Device.Cpu, weight.Device);
        Assert.Throws<TorchException>(() => model.To(Device.Cuda()));
    }
}
