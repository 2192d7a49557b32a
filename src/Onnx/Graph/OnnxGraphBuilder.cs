using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace MLNetFlows.Onnx.Graph;

/// <summary>
/// Writes an ONNX graph node by node with the protobuf classes generated from onnx.proto: float32 initializers (raw
/// little-endian data), int64 shape constants, graph inputs and outputs with a symbolic batch dimension, and the
/// operators the exporters use, each returning the name of its output. Names are unique within the graph.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>The symbolic name of the batch dimension of every graph input and output.</summary>
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>Declares a float32 graph input [N, dims...].</summary>
    public string Input(string name, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));
        return name;
    }

    /// <summary>Exposes <paramref name="value"/> as the graph output <paramref name="name"/> [N, dims...].</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params long[] dims)
    {
        _graph.Node.Add(new NodeProto { OpType = "Identity", Name = Unique("node_Identity"), Input = { value }, Output = { name } });
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>A float32 constant holding <paramref name="values"/> (computed in double, rounded once).</summary>
    public string Constant(string hint, double[] values, params long[] dims)
    {
        var floats = Array.ConvertAll(values, v => (float)v);
        return Add(hint, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(floats.AsSpan()), dims);
    }

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(string hint, double value) => Constant(hint, [value]);

    /// <summary>An int64 constant (shapes, axes, slice bounds, pads).</summary>
    public string Int64s(string hint, params long[] values) =>
        Add(hint, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), values.Length);

    /// <summary>Adds one node with one output and returns the output's name.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var output = Unique(opType.ToLowerInvariant() + "_out");
        var node = new NodeProto { OpType = opType, Name = Unique("node_" + opType), Input = { inputs }, Output = { output } };
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>The finished model: IR version, pinned opset, producer and the given metadata.</summary>
    public ModelProto Build(IReadOnlyDictionary<string, string> metadata, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = OnnxOpset.IrVersion,
            ProducerName = "MLNetFlows",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "1.0.0.0",
            Domain = "mlnetflows",
            ModelVersion = 1,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxOpset.Version });
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private string Add(string hint, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, params long[] dims)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; exporting on a big-endian machine is not supported");
        }

        var tensor = new TensorProto { Name = Unique(hint), DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private string Unique(string hint)
    {
        var n = _counters.TryGetValue(hint, out var c) ? c + 1 : 0;
        _counters[hint] = n;
        return n == 0 ? hint : $"{hint}_{n}";
    }
}
