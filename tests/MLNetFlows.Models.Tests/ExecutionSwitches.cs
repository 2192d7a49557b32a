using MLNetFlows.Models.Flows;

namespace MLNetFlows.Models.Tests;

/// <summary>Sets the process-wide <see cref="FlowExecution"/> switches for one test and restores them on dispose.</summary>
internal sealed class ExecutionSwitches : IDisposable
{
    private readonly bool _fold = FlowExecution.FoldNormalizations;
    private readonly bool _channelsLast = FlowExecution.ChannelsLast;

    public ExecutionSwitches(bool foldNormalizations = true, bool channelsLast = true)
    {
        FlowExecution.FoldNormalizations = foldNormalizations;
        FlowExecution.ChannelsLast = channelsLast;
    }

    public void Dispose()
    {
        FlowExecution.FoldNormalizations = _fold;
        FlowExecution.ChannelsLast = _channelsLast;
    }
}
