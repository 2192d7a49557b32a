namespace MLNetFlows.Transforms.Text;

/// <summary>
/// Splits one line into fields. With quoting, a field that starts with <c>"</c> (after optional whitespace when
/// trimming) runs to the matching <c>"</c>; inside it, <c>""</c> is a quote and separators are text (RFC 4180,
/// one line per record).
/// </summary>
internal sealed class TextFieldSplitter(char separator, bool allowQuoting, bool trimWhitespace)
{
    /// <summary>Splits <paramref name="line"/> into <paramref name="fields"/> (cleared first).</summary>
    /// <returns>Null on success, otherwise what is malformed.</returns>
    public string? Split(string line, List<ReadOnlyMemory<char>> fields)
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            int start = i;
            if (trimWhitespace)
            {
                while (i < line.Length && line[i] != separator && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }
            }

            if (allowQuoting && i < line.Length && line[i] == '"')
            {
                int quoteAt = i;
                var text = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return $"the quote opened at character {quoteAt + 1} is never closed";
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            text.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    text.Append(line[i++]);
                }

                while (i < line.Length && line[i] != separator && trimWhitespace && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                if (i < line.Length && line[i] != separator)
                {
                    return $"unexpected '{line[i]}' after the quoted field ending at character {i}: expected the separator";
                }

                fields.Add(text.ToString().AsMemory());
            }
            else
            {
                int end = line.IndexOf(separator, i);
                end = end < 0 ? line.Length : end;
                ReadOnlyMemory<char> field = line.AsMemory(trimWhitespace ? i : start, end - (trimWhitespace ? i : start));
                fields.Add(trimWhitespace ? field.TrimEnd() : field);
                i = end;
            }

            if (i >= line.Length)
            {
                return null;
            }

            i++; // the separator
        }
    }
}
