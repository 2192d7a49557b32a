// The tests train small models with libtorch's process-wide state (threads, seeds): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
