// Tests here share libtorch's process-wide state (seed, threads, live-tensor count, FlowExecution switches): run them
// one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
