namespace MLNetFlows;

/// <summary>Readable names of .NET types for error messages: <c>VBuffer&lt;Single&gt;</c>, not <c>VBuffer`1</c>.</summary>
internal static class TypeNames
{
    public static string Of(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{name[..tick]}<{string.Join(", ", type.GetGenericArguments().Select(Of))}>";
    }
}
