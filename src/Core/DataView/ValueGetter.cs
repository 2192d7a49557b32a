namespace MLNetFlows;

/// <summary>Reads the value of one column at the cursor's current row into <paramref name="value"/>.</summary>
/// <typeparam name="TValue">The column's raw type.</typeparam>
/// <param name="value">Receives the value; a vector's backing array may be reused.</param>
public delegate void ValueGetter<TValue>(ref TValue value);
