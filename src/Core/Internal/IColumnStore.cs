namespace MLNetFlows;

/// <summary>Random-access storage of one column's values, read through getters.</summary>
internal interface IColumnStore
{
    /// <summary>Gets the number of rows stored.</summary>
    int Count { get; }

    /// <summary>Returns a <see cref="ValueGetter{TValue}"/> of the column's raw type that reads row <paramref name="slot"/>().</summary>
    Delegate MakeGetter(Func<int> slot);
}
