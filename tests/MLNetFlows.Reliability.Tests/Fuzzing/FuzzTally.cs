using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Outcomes of a fuzzing run, by mutation kind: accepted (loaded or scored), refused with a reason (counted by the
/// reason's wording, numbers masked), crashed (an exception or exit code that must never happen) or hung (over the
/// per-file time limit). Crashes and hangs keep their file names and messages. Thread-safe.
/// </summary>
internal sealed partial class FuzzTally
{
    private readonly ConcurrentDictionary<(string Kind, string Outcome), int> _counts = new();
    private readonly ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();

    public int Accepted => Count("accepted");

    public int Refused => Count("refused");

    public int Crashed => Count("crashed");

    public int Hung => Count("hung");

    public int Total => _counts.Values.Sum();

    /// <summary>Gets the crashes and hangs, each "file: what happened".</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public void Accept(string kind) => Add(kind, "accepted");

    public void Refuse(string kind, string reason)
    {
        Add(kind, "refused");
        _reasons.AddOrUpdate(Category(reason), 1, (_, n) => n + 1);
    }

    public void Crash(string kind, string file, string what)
    {
        Add(kind, "crashed");
        _problems.Enqueue($"{file}: {what}");
    }

    public void Hang(string kind, string file, TimeSpan limit)
    {
        Add(kind, "hung");
        _problems.Enqueue($"{file}: no outcome within {limit.TotalSeconds:F0} s");
    }

    /// <summary>A table of outcomes by kind, then the commonest refusal reasons, then every crash and hang.</summary>
    public string Summary(int reasons = 12)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"kind",-22} {"total",7} {"accepted",9} {"refused",8} {"crashed",8} {"hung",5}");
        foreach (var kind in _counts.Keys.Select(k => k.Kind).Distinct().Order(StringComparer.Ordinal))
        {
            int Of(string outcome) => _counts.GetValueOrDefault((kind, outcome));
            var total = Of("accepted") + Of("refused") + Of("crashed") + Of("hung");
            text.AppendLine(CultureInfo.InvariantCulture, $"{kind,-22} {total,7} {Of("accepted"),9} {Of("refused"),8} {Of("crashed"),8} {Of("hung"),5}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{"all",-22} {Total,7} {Accepted,9} {Refused,8} {Crashed,8} {Hung,5}");
        text.AppendLine("commonest refusal reasons:");
        foreach (var (reason, count) in _reasons.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(reasons))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {count,7}  {reason}");
        }

        foreach (var problem in _problems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"PROBLEM {problem}");
        }

        return text.ToString();
    }

    private int Count(string outcome) => _counts.Where(p => p.Key.Outcome == outcome).Sum(p => p.Value);

    private void Add(string kind, string outcome) => _counts.AddOrUpdate((kind, outcome), 1, (_, n) => n + 1);

    /// <summary>The reason with paths, numbers and quoted values masked, cut to 90 characters.</summary>
    private static string Category(string reason)
    {
        var masked = Numbers().Replace(Quoted().Replace(reason, "'…'"), "#");
        return masked.Length <= 90 ? masked : masked[..90] + "…";
    }

    [GeneratedRegex("[0-9][0-9A-Fa-fx.]*")]
    private static partial Regex Numbers();

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();
}
