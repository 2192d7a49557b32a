namespace MLNetFlows;

/// <summary>
/// Loading, converting, splitting and filtering data: <c>mlContext.Data.X(...)</c>. Every operation is lazy: it
/// returns a view whose rows are computed when cursored. Assemblies add loaders as extension methods.
/// </summary>
public sealed partial class DataOperationsCatalog : CatalogBase
{
    internal DataOperationsCatalog(MLContext context)
        : base(context)
    {
    }

    /// <summary>Creates a view over row objects: one column per public field or property (see <c>MLNetFlows.Data</c> attributes).</summary>
    /// <typeparam name="TRow">The row class.</typeparam>
    /// <param name="data">The rows; enumerated again by every cursor.</param>
    /// <returns>The view.</returns>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data)
        where TRow : class => new EnumerableDataView<TRow>(Guard.NotNull(data));

    /// <summary>Enumerates a view as row objects, matching columns to public fields and properties by name.</summary>
    /// <typeparam name="TRow">The row class.</typeparam>
    /// <param name="data">The view.</param>
    /// <param name="reuseRowObject">True to fill the same object for every row (faster; do not keep references).</param>
    /// <param name="ignoreMissingColumns">True to leave members without a matching column untouched.</param>
    /// <returns>The rows, read lazily.</returns>
    /// <exception cref="SchemaMismatchException">A member has no column or a column of another type.</exception>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false)
        where TRow : class, new() => TypedEnumeration.Create<TRow>(Guard.NotNull(data), reuseRowObject, ignoreMissingColumns);

    /// <summary>Caches a view in memory: the first cursor makes one full pass, later cursors read memory and can shuffle.</summary>
    /// <param name="input">The view.</param>
    /// <returns>The cached view.</returns>
    public IDataView Cache(IDataView input) => new CacheDataView(Guard.NotNull(input));

    /// <summary>Keeps the first <paramref name="count"/> rows.</summary>
    /// <param name="input">The view.</param>
    /// <param name="count">The number of rows to keep (non-negative).</param>
    /// <returns>The view.</returns>
    public IDataView TakeRows(IDataView input, long count)
    {
        Guard.NotNull(input);
        Guard.MustBeGreaterThanOrEqualTo(count, 0);
        return new SkipTakeDataView(input, 0, count);
    }

    /// <summary>Drops the first <paramref name="count"/> rows.</summary>
    /// <param name="input">The view.</param>
    /// <param name="count">The number of rows to drop (non-negative).</param>
    /// <returns>The view.</returns>
    public IDataView SkipRows(IDataView input, long count)
    {
        Guard.NotNull(input);
        Guard.MustBeGreaterThanOrEqualTo(count, 0);
        return new SkipTakeDataView(input, count, long.MaxValue);
    }

    /// <summary>
    /// Shuffles the rows. Every pass has the same order (drawn from <paramref name="seed"/>). A source that cannot
    /// shuffle is cached in memory first (a full shuffle, unlike ML.NET's pool shuffle).
    /// </summary>
    /// <param name="input">The view.</param>
    /// <param name="seed">The seed; null to draw one from the context.</param>
    /// <returns>The view.</returns>
    public IDataView ShuffleRows(IDataView input, int? seed = null)
    {
        Guard.NotNull(input);
        IDataView source = input.CanShuffle ? input : new CacheDataView(input);
        return new ShuffledDataView(source, seed ?? Context.NextSeed());
    }

    /// <summary>Keeps the rows whose numeric column value lies in [<paramref name="lowerBound"/>, <paramref name="upperBound"/>).</summary>
    /// <param name="input">The view.</param>
    /// <param name="columnName">A scalar numeric or key column.</param>
    /// <param name="lowerBound">The inclusive lower bound.</param>
    /// <param name="upperBound">The exclusive upper bound.</param>
    /// <returns>The view.</returns>
    /// <exception cref="SchemaMismatchException">The column is missing or not a numeric scalar.</exception>
    public IDataView FilterRowsByColumn(IDataView input, string columnName, double lowerBound = double.NegativeInfinity, double upperBound = double.PositiveInfinity)
    {
        Guard.NotNull(input);
        Guard.IsTrue(lowerBound < upperBound, "lowerBound < upperBound", $"[{lowerBound}, {upperBound})", nameof(lowerBound));
        DataViewSchema.Column column = InputColumns.Require(input.Schema, columnName, NumericReader.IsNumericScalar, "a numeric scalar (Single, Double, Int32, Int64, Byte, UInt32 or Key)");
        return new RowFilterDataView(input, [column], cursor =>
        {
            Func<double> read = NumericReader.Make(cursor, column);
            return () =>
            {
                double v = read();
                return v >= lowerBound && v < upperBound;
            };
        }, canShuffle: true);
    }
}
