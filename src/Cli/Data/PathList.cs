namespace MLNetFlows.Cli.Data;

/// <summary>
/// A CSV file of image paths, read strictly before any work starts: a header line, then one row per image whose first
/// field is the path (absolute, or relative to the CSV's folder); further fields are ignored, blank lines skipped.
/// Fields follow RFC 4180 quoting ("a, b.png" and "say ""hi"".png"), one row per line. A row that cannot be read — an
/// unterminated quote, text after a closing quote, an empty or invalid path — is an <see cref="InvalidDataException"/>
/// naming the file and the line.
/// </summary>
internal static class PathList
{
    /// <summary>The full paths the CSV at <paramref name="csv"/> lists, in file order.</summary>
    /// <exception cref="InvalidDataException">The file is empty, lists no path, or a row is malformed (the message names its line).</exception>
    public static string[] Read(string csv)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var paths = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(csv))
        {
            lineNumber++;
            if (lineNumber == 1 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var field = FirstField(line, problem => new InvalidDataException($"'{csv}' line {lineNumber}: {problem}"));
            if (field.Length == 0 || field.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"'{csv}' line {lineNumber}: the first column must hold an image path, got {(field.Length == 0 ? "an empty field" : "a field with a NUL character")}");
            }

            paths.Add(Path.GetFullPath(field, folder));
        }

        return lineNumber switch
        {
            0 => throw new InvalidDataException($"'{csv}' is empty: expected a header line and one image path per line"),
            _ when paths.Count == 0 => throw new InvalidDataException($"'{csv}' lists no image paths: expected a header line and one image path per line"),
            _ => [.. paths],
        };
    }

    /// <summary>The first field of <paramref name="line"/>, unquoted and trimmed.</summary>
    private static string FirstField(string line, Func<string, Exception> error)
    {
        var text = line.AsSpan().Trim();
        if (text.IsEmpty || text[0] != '"')
        {
            var comma = text.IndexOf(',');
            return (comma < 0 ? text : text[..comma]).Trim().ToString();
        }

        var value = new System.Text.StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] != '"')
            {
                value.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '"')
            {
                value.Append('"');
                i++;
            }
            else
            {
                var rest = text[(i + 1)..].TrimStart();
                return rest.IsEmpty || rest[0] == ','
                    ? value.ToString().Trim()
                    : throw error($"unexpected text after the closing quote of the first field: {rest.ToString()}");
            }
        }

        throw error("the first field opens a quote that is not closed on this line");
    }
}
