namespace MLNetFlows.Torch;

/// <summary>How a tensor's elements are laid out in memory (torch.memory_format). The shape does not change.</summary>
public enum MemoryFormat
{
    /// <summary>Row-major: the last dimension varies fastest (NCHW for images).</summary>
    Contiguous = 0,

    /// <summary>A 4-D NCHW tensor stored in NHWC order: channels vary fastest (torch.channels_last).</summary>
    ChannelsLast = 1,
}
