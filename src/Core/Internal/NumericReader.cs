using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>Reads a scalar numeric or key column as <see cref="double"/>, and hashes column values stably.</summary>
internal static class NumericReader
{
    public static bool IsNumericScalar(DataViewType type) => type is NumberDataViewType or KeyDataViewType;

    public static Func<double> Make(DataViewRow row, DataViewSchema.Column column)
    {
        switch (column.Type.RawType)
        {
            case Type t when t == typeof(float): return Wrap<float>(row, column, v => v);
            case Type t when t == typeof(double): return Wrap<double>(row, column, v => v);
            case Type t when t == typeof(int): return Wrap<int>(row, column, v => v);
            case Type t when t == typeof(long): return Wrap<long>(row, column, v => v);
            case Type t when t == typeof(byte): return Wrap<byte>(row, column, v => v);
            case Type t when t == typeof(uint): return Wrap<uint>(row, column, v => v);
            default: throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, expected a numeric scalar.");
        }
    }

    /// <summary>Returns a stable 64-bit hash of the current value of a numeric, key, boolean or text column.</summary>
    public static Func<ulong> MakeHasher(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is TextDataViewType)
        {
            ValueGetter<ReadOnlyMemory<char>> getter = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            return () =>
            {
                getter(ref text);
                ulong h = 14695981039346656037UL;
                foreach (char c in text.Span)
                {
                    h = (h ^ c) * 1099511628211UL;
                }

                return Mix(h);
            };
        }

        if (column.Type is BooleanDataViewType)
        {
            ValueGetter<bool> getter = row.GetGetter<bool>(column);
            bool b = false;
            return () =>
            {
                getter(ref b);
                return Mix(b ? 1UL : 0UL);
            };
        }

        Func<double> read = Make(row, column);
        return () => Mix((ulong)BitConverter.DoubleToInt64Bits(read()));
    }

    /// <summary>SplitMix64 finaliser: a well-mixed, platform-independent hash.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Maps a hash to [0, 1).</summary>
    public static double ToUnit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static Func<double> Wrap<T>(DataViewRow row, DataViewSchema.Column column, Func<T, double> convert)
    {
        ValueGetter<T> getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
