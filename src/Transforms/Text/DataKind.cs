namespace MLNetFlows.Data;

/// <summary>The value kinds a <see cref="MLNetFlows.Transforms.Text.TextLoader.Column"/> reads, with ML.NET's names and numbers.</summary>
public enum DataKind
{
    /// <summary>An unsigned 8-bit integer (<see cref="NumberDataViewType.Byte"/>).</summary>
    Byte = 2,

    /// <summary>A signed 32-bit integer (<see cref="NumberDataViewType.Int32"/>).</summary>
    Int32 = 5,

    /// <summary>An unsigned 32-bit integer (<see cref="NumberDataViewType.UInt32"/>).</summary>
    UInt32 = 6,

    /// <summary>A signed 64-bit integer (<see cref="NumberDataViewType.Int64"/>).</summary>
    Int64 = 7,

    /// <summary>A 32-bit float (<see cref="NumberDataViewType.Single"/>); an empty field is NaN (missing).</summary>
    Single = 9,

    /// <summary>A 64-bit float (<see cref="NumberDataViewType.Double"/>); an empty field is NaN (missing).</summary>
    Double = 10,

    /// <summary>Text (<see cref="TextDataViewType"/>); an empty field is empty text.</summary>
    String = 11,

    /// <summary>A boolean (<see cref="BooleanDataViewType"/>): true/false or 1/0, any case.</summary>
    Boolean = 12,
}
