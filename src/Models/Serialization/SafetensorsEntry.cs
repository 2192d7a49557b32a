using TorchSharp;

namespace MLNetFlows.Models.Serialization;

/// <summary>One tensor as a validated safetensors header describes it.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its dimensions (non-negative; their product times the element size is End − Begin).</param>
/// <param name="Begin">The offset of its first byte in the data buffer.</param>
/// <param name="End">The offset just past its last byte in the data buffer.</param>
internal sealed record SafetensorsEntry(string Name, torch.ScalarType DType, long[] Shape, long Begin, long End);
