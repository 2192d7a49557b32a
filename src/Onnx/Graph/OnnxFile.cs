using Google.Protobuf;
using Onnx;

namespace MLNetFlows.Onnx.Graph;

/// <summary>Writes ONNX models to streams, and to files whole or not at all (a temporary file renamed into place).</summary>
internal static class OnnxFile
{
    public static void Write(ModelProto proto, Stream output)
    {
        using var coded = new CodedOutputStream(output, leaveOpen: true);
        proto.WriteTo(coded);
        coded.Flush();
    }

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(temporary))
            {
                write(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
