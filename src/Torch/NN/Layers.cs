namespace MLNetFlows.Torch.NN;

/// <summary>Shared default initialisation of PyTorch's convolution and linear layers.</summary>
internal static class LayerInit
{
    /// <summary>kaiming_uniform(a = √5) on the weight and U(−1/√fan_in, 1/√fan_in) on the bias, as torch.nn does.</summary>
    public static void ResetParameters(Tensor weight, Tensor? bias, long fanIn)
    {
        using (Autograd.NoGrad())
        {
            Init.KaimingUniform_(weight, Math.Sqrt(5));
            if (bias is not null)
            {
                var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                bias.Uniform_(-bound, bound);
            }
        }
    }
}

/// <summary>2-D convolution layer (torch.nn.Conv2d) with square kernel, stride and padding.</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    private readonly int _stride;
    private readonly int _padding;

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Conv2d(long inChannels, long outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true)
    {
        _stride = stride;
        _padding = padding;
        Weight = RegisterParameter("weight", Tensor.Zeros([outChannels, inChannels, kernelSize, kernelSize]));
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros([outChannels])) : null;
        LayerInit.ResetParameters(Weight, Bias, Init.FanIn(Weight));
    }

    /// <summary>Weight [out, in, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out], if any.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, _stride, _padding);
}

/// <summary>2-D transposed convolution layer (torch.nn.ConvTranspose2d).</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    private readonly int _stride;
    private readonly int _padding;
    private readonly int _outputPadding;

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public ConvTranspose2d(long inChannels, long outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0, bool bias = true)
    {
        _stride = stride;
        _padding = padding;
        _outputPadding = outputPadding;
        Weight = RegisterParameter("weight", Tensor.Zeros([inChannels, outChannels, kernelSize, kernelSize]));
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros([outChannels])) : null;
        LayerInit.ResetParameters(Weight, Bias, Init.FanIn(Weight));
    }

    /// <summary>Weight [in, out, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out], if any.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.ConvTranspose2d(input, Weight, Bias, _stride, _padding, _outputPadding);
}

/// <summary>Fully connected layer (torch.nn.Linear).</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        Weight = RegisterParameter("weight", Tensor.Zeros([outFeatures, inFeatures]));
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros([outFeatures])) : null;
        LayerInit.ResetParameters(Weight, Bias, inFeatures);
    }

    /// <summary>Weight [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out], if any.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}

/// <summary>Batch normalisation over NCHW channels with running statistics (torch.nn.BatchNorm2d).</summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    private readonly double _momentum;
    private readonly double _eps;

    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    public BatchNorm2d(long channels, double eps = 1e-5, double momentum = 0.1)
    {
        _eps = eps;
        _momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones([channels]));
        Bias = RegisterParameter("bias", Tensor.Zeros([channels]));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([channels]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([channels]));
    }

    /// <summary>Scale γ [C].</summary>
    public Tensor Weight { get; }

    /// <summary>Shift β [C].</summary>
    public Tensor Bias { get; }

    /// <summary>Running mean [C], updated in training mode.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance [C], updated in training mode.</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, _momentum, _eps);
}

/// <summary>Applies child modules in order (torch.nn.Sequential); children are named "0", "1", ...</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>[] _layers;

    /// <summary>Creates the chain; it owns the layers.</summary>
    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        _layers = layers;
        for (var i = 0; i < layers.Length; i++)
        {
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
        }
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Layers => _layers;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            var next = layer.Forward(x);
            if (!ReferenceEquals(x, input))
            {
                x.Dispose();
            }

            x = next;
        }

        return ReferenceEquals(x, input) ? x.Alias() : x;
    }
}
