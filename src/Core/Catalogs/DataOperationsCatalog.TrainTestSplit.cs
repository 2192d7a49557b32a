namespace MLNetFlows;

public sealed partial class DataOperationsCatalog
{
    /// <summary>
    /// Splits rows into a train and a test set, deterministically: each row's fate is a hash of the seed and either
    /// its position or, with <paramref name="samplingKeyColumnName"/>, its key value (rows with the same key land in
    /// the same set). Both sets are lazy views over <paramref name="data"/> and never shuffle.
    /// </summary>
    /// <param name="data">The view to split.</param>
    /// <param name="testFraction">The expected fraction of rows in the test set, in [0, 1].</param>
    /// <param name="samplingKeyColumnName">A numeric, key, boolean or text column grouping rows, or null.</param>
    /// <param name="seed">The seed; null to draw one from the context.</param>
    /// <returns>The two sets.</returns>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? samplingKeyColumnName = null, int? seed = null)
    {
        Guard.NotNull(data);
        Guard.MustBeBetweenOrEqualTo(testFraction, 0, 1);
        ulong salt = NumericReader.Mix((ulong)(uint)(seed ?? Context.NextSeed()));
        DataViewSchema.Column[] keyColumns = samplingKeyColumnName is null
            ? []
            : [InputColumns.Require(data.Schema, samplingKeyColumnName, t => NumericReader.IsNumericScalar(t) || t is Data.TextDataViewType || t is Data.BooleanDataViewType, "a numeric, key, boolean or text scalar")];

        IDataView Part(bool test) => new RowFilterDataView(data, keyColumns, cursor =>
        {
            Func<ulong> hash = keyColumns.Length == 0 ? () => NumericReader.Mix((ulong)cursor.Position) : NumericReader.MakeHasher(cursor, keyColumns[0]);
            return () => (NumericReader.ToUnit(NumericReader.Mix(hash() ^ salt)) < testFraction) == test;
        }, canShuffle: false);

        return new TrainTestData(Part(test: false), Part(test: true));
    }

    /// <summary>The result of <see cref="TrainTestSplit"/>.</summary>
    public sealed class TrainTestData
    {
        internal TrainTestData(IDataView trainSet, IDataView testSet)
        {
            TrainSet = trainSet;
            TestSet = testSet;
        }

        /// <summary>Gets the training rows.</summary>
        public IDataView TrainSet { get; }

        /// <summary>Gets the test rows.</summary>
        public IDataView TestSet { get; }
    }
}
