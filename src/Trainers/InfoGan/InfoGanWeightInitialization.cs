namespace MLNetFlows.Trainers.InfoGan;

/// <summary>How InfoGAN training draws the networks' first weights.</summary>
public enum InfoGanWeightInitialization
{
    /// <summary>
    /// openai/InfoGAN's (and DCGAN's): every weight matrix and kernel from N(0, 0.02²), batch-normalisation scales from
    /// N(1, 0.02²), biases zero. Suited to the paper's widths (fan-ins in the hundreds and thousands); very narrow
    /// networks start with nearly constant outputs and learn slowly from it.
    /// </summary>
    OpenAi,

    /// <summary>libtorch's defaults (PyTorch's: Kaiming-uniform weights, BN scales one), several times larger for the convolutions.</summary>
    LibTorch,
}
