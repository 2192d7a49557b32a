using MLNetFlows.Persistence;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Column names read from a model file's manifest. ML.NET's schema lookup throws an <see cref="ArgumentNullException"/>
/// for an empty name, so a loader refuses one when it reads the file, with a <see cref="ModelFormatException"/> naming
/// the parameter, instead of failing later while scoring.
/// </summary>
internal static class ManifestColumnNames
{
    /// <summary>Gets the text parameter <paramref name="name"/>, which must name a column (not empty or white space).</summary>
    /// <param name="reader">The component's manifest.</param>
    /// <param name="name">The parameter's name, e.g. <c>featureColumnName</c>.</param>
    /// <returns>The column name.</returns>
    public static string GetColumnName(this ModelReader reader, string name)
    {
        var column = reader.GetString(name);
        return string.IsNullOrWhiteSpace(column)
            ? throw reader.Error($"parameter '{name}' is \"{column}\", expected the name of a column: the file is corrupt or was altered; save the model again or retrain it")
            : column;
    }
}
