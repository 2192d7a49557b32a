using System.Reflection;
using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>
/// Copies column values so that stored values never alias a getter's reusable buffers: vectors
/// (<see cref="VBuffer{T}"/>) are deep-copied, every other raw type is immutable or a value and is assigned.
/// </summary>
/// <typeparam name="T">The raw type.</typeparam>
internal static class ValueCopier<T>
{
    private delegate void CopyInto(in T source, ref T destination);

    private static readonly Func<T, T>? CloneVector;
    private static readonly CopyInto? CopyVector;

    static ValueCopier()
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            Type item = typeof(T).GetGenericArguments()[0];
            MethodInfo clone = typeof(VectorCopier).GetMethod(nameof(VectorCopier.Clone), BindingFlags.Static | BindingFlags.Public)!.MakeGenericMethod(item);
            MethodInfo copy = typeof(VectorCopier).GetMethod(nameof(VectorCopier.CopyInto), BindingFlags.Static | BindingFlags.Public)!.MakeGenericMethod(item);
            CloneVector = clone.CreateDelegate<Func<T, T>>();
            CopyVector = copy.CreateDelegate<CopyInto>();
        }
    }

    /// <summary>Returns a value that shares no mutable buffer with <paramref name="value"/>.</summary>
    public static T Clone(T value) => CloneVector is null ? value : CloneVector(value);

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, reusing its vector buffer when possible.</summary>
    public static void Copy(in T source, ref T destination)
    {
        if (CopyVector is null)
        {
            destination = source;
        }
        else
        {
            CopyVector(in source, ref destination);
        }
    }
}

/// <summary>The vector cases of <see cref="ValueCopier{T}"/>.</summary>
internal static class VectorCopier
{
    public static VBuffer<TItem> Clone<TItem>(VBuffer<TItem> value) => new(value.Length, value.GetValues().ToArray());

    public static void CopyInto<TItem>(in VBuffer<TItem> source, ref VBuffer<TItem> destination)
    {
        var editor = VBufferEditor.Create(ref destination, source.Length);
        source.GetValues().CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
