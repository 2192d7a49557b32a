// ONNX Runtime sessions spread over the cores; one test at a time keeps runs on this shared machine predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
