using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.NN;

/// <summary>In-place parameter initialisers (torch.nn.init), drawing from the seeded global generator.</summary>
public static class Init
{
    /// <summary>Glorot and Bengio (2010) uniform initialisation.</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1)
    {
        NativeError.Check(Native.mlnf_nn_init_xavier_uniform_(tensor.Handle, gain));
        return tensor;
    }

    /// <summary>He et al. (2015) uniform initialisation for a leaky-ReLU slope <paramref name="a"/> (fan-in mode).</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0)
    {
        NativeError.Check(Native.mlnf_nn_init_kaiming_uniform_(tensor.Handle, a));
        return tensor;
    }

    /// <summary>He et al. (2015) normal initialisation for a leaky-ReLU slope <paramref name="a"/> (fan-in mode).</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0)
    {
        NativeError.Check(Native.mlnf_nn_init_kaiming_normal_(tensor.Handle, a));
        return tensor;
    }

    /// <summary>Saxe et al. (2013) (semi-)orthogonal initialisation.</summary>
    public static Tensor Orthogonal_(Tensor tensor, double gain = 1)
    {
        NativeError.Check(Native.mlnf_nn_init_orthogonal_(tensor.Handle, gain));
        return tensor;
    }

    /// <summary>Fills with zeros (the init of Glow's last coupling convolution).</summary>
    public static Tensor Zeros_(Tensor tensor) => tensor.Zero_();

    /// <summary>Fan-in of a weight [out, in, k...]: in × Π k.</summary>
    public static long FanIn(Tensor weight)
    {
        var shape = weight.Shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException($"fan-in needs a weight with at least 2 dimensions, got {shape.Length}", nameof(weight));
        }

        var fanIn = shape[1];
        for (var i = 2; i < shape.Length; i++)
        {
            fanIn *= shape[i];
        }

        return fanIn;
    }
}
