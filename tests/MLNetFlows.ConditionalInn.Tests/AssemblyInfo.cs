// Tests here share libtorch's process-wide state (seed, threads, live-tensor count): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
