namespace MLNetFlows.Torch;

/// <summary>Element types of tensors; the values are libtorch's <c>c10::ScalarType</c> codes.</summary>
public enum DType
{
    /// <summary>Unsigned 8-bit integer (image bytes).</summary>
    UInt8 = 0,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 3,

    /// <summary>Signed 64-bit integer (indices, labels).</summary>
    Int64 = 4,

    /// <summary>32-bit IEEE float, the default for model weights.</summary>
    Float32 = 6,

    /// <summary>64-bit IEEE float.</summary>
    Float64 = 7,

    /// <summary>Boolean (comparison results, masks).</summary>
    Bool = 11,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>Size of one element in bytes.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 1,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported dtype"),
    };

    /// <summary>The dtype that stores managed values of type <typeparamref name="T"/>.</summary>
    public static DType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new NotSupportedException($"no tensor dtype stores {typeof(T).Name}; use float, double, long, int, byte or bool");
    }
}
