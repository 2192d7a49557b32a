namespace MLNetFlows.Onnx.Graph;

/// <summary>
/// The ONNX versions every exported file declares. Opset 17 is the newest operator set that the vendored schema
/// (onnx.proto of ONNX 1.12, IR version 8) defines, so Debian's python3-onnx 1.12 checker and every ONNX Runtime since
/// 1.13 (ML.NET's OnnxTransformer 5.0.1 ships with 1.31) load the files; it has every operator the flows need in its
/// current form (ReduceSum, Unsqueeze and Slice take their axes as inputs since opset 13).
/// </summary>
public static class OnnxOpset
{
    /// <summary>The default-domain operator set version written into every exported model.</summary>
    public const long Version = 17;

    /// <summary>The IR version of the file format (ONNX 1.12's IR_VERSION).</summary>
    public const long IrVersion = 8;
}
