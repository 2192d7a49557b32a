using System.Globalization;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// One <c>--data</c> (or <c>--normal</c>, <c>--anomalous</c>) argument, checked before any expensive work: a built-in set
/// (<see cref="BuiltInSets.Names"/>) with an optional class filter (<c>:c</c> keeps class c, <c>:^c</c> every class but
/// c), a folder of PNG/JPEG files, or a CSV file whose first column holds image paths. An existing folder or file wins
/// over a built-in name.
/// </summary>
internal sealed record DataSpec
{
    private DataSpec(string text, DataSpecKind kind, string name, byte? classFilter, bool excludeClass)
    {
        Text = text;
        Kind = kind;
        Name = name;
        ClassFilter = classFilter;
        ExcludeClass = excludeClass;
    }

    /// <summary>Gets the argument as given (the name reports use).</summary>
    public string Text { get; }

    public DataSpecKind Kind { get; }

    /// <summary>Gets the built-in set's name, or the folder's or CSV file's path.</summary>
    public string Name { get; }

    /// <summary>Gets the class the filter names (0–9), or null without a filter.</summary>
    public byte? ClassFilter { get; }

    /// <summary>Gets a value indicating whether the filter keeps every class but <see cref="ClassFilter"/> (<c>:^c</c>).</summary>
    public bool ExcludeClass { get; }

    /// <summary>Resolves one argument.</summary>
    /// <exception cref="ArgumentException">It names no folder, .csv file or built-in set, or its class filter is malformed.</exception>
    public static DataSpec Parse(string text)
    {
        if (Directory.Exists(text))
        {
            return new DataSpec(text, DataSpecKind.Folder, text, null, false);
        }

        if (File.Exists(text) && text.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return new DataSpec(text, DataSpecKind.Csv, text, null, false);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        if (!BuiltInSets.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{text}' is neither a folder, a .csv file nor a built-in set ({string.Join(", ", BuiltInSets.Names)})");
        }

        if (colon < 0)
        {
            return new DataSpec(text, DataSpecKind.BuiltIn, name, null, false);
        }

        if (!BuiltInSets.HasClasses(name))
        {
            throw new ArgumentException($"'{text}': the synthetic set '{name}' has no classes to filter");
        }

        var filter = text[(colon + 1)..];
        var exclude = filter.StartsWith('^');
        return byte.TryParse(exclude ? filter[1..] : filter, NumberStyles.None, CultureInfo.InvariantCulture, out var label) && label < 10
            ? new DataSpec(text, DataSpecKind.BuiltIn, name, label, exclude)
            : throw new ArgumentException($"'{text}': a class filter is ':c' or ':^c' with c in 0..9");
    }

    /// <summary>Resolves the arguments of one input: built-in sets (read one after the other) or exactly one folder or CSV file.</summary>
    /// <exception cref="ArgumentException">An argument is invalid, none is given, or files are mixed with other arguments.</exception>
    public static IReadOnlyList<DataSpec> ParseInput(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            throw new ArgumentException("no data given: name a built-in set, a folder or a .csv file");
        }

        var specs = texts.Select(Parse).ToArray();
        return specs.All(s => s.Kind == DataSpecKind.BuiltIn) || specs.Length == 1
            ? specs
            : throw new ArgumentException($"give either built-in sets or exactly one folder or .csv file, got {string.Join(", ", texts)}");
    }
}

/// <summary>What a <see cref="DataSpec"/> names.</summary>
internal enum DataSpecKind
{
    BuiltIn,
    Folder,
    Csv,
}
