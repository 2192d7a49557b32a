namespace MLNetFlows.Persistence;

/// <summary>Rules for zip entry paths: relative, forward slashes, no <c>..</c> or empty segments, no drive or root.</summary>
internal static class EntryNames
{
    /// <summary>Checks a name a transformer gives to one of its binary entries: one segment of [A-Za-z0-9._-], not "." or "..".</summary>
    public static void CheckLocalName(string name)
    {
        Guard.NotNullOrEmpty(name);
        bool ok = name.Length <= 200 && name != "." && name != ".." && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        Guard.IsTrue(ok, "an entry name of letters, digits, '.', '_' and '-' (not '.' or '..', at most 200 characters)", $"'{name}'", nameof(name));
    }

    /// <summary>Returns null when <paramref name="path"/> is a safe relative zip path, otherwise why not.</summary>
    public static string? WhyUnsafe(string path)
    {
        if (path.Length == 0)
        {
            return "an empty path";
        }

        if (path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return "a backslash or NUL character";
        }

        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':'))
        {
            return "an absolute path";
        }

        string[] segments = path.TrimEnd('/').Split('/');
        if (segments.Any(s => s is ".." or "." || s.Length == 0))
        {
            return "a '..', '.' or empty path segment";
        }

        return null;
    }
}
