using System.Diagnostics;
using System.Globalization;

namespace MLNetFlows.Cli.Reporting;

/// <summary>
/// A one-line progress bar on stderr with rate and ETA; redrawn in place on a terminal, printed every 10 % otherwise
/// (logs of batch jobs stay readable).
/// </summary>
internal sealed class ProgressBar
{
    private readonly string _label;
    private readonly long _total;
    private readonly string _unit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private long _lastDecile = -1;
    private TimeSpan _lastDraw;

    /// <summary>A bar over <paramref name="total"/> units; with total 0 (unknown) only the count and rate are shown.</summary>
    public ProgressBar(string label, long total, string unit)
    {
        _label = label;
        _total = total;
        _unit = unit;
    }

    public void Report(long done, string? detail = null)
    {
        var elapsed = _clock.Elapsed;
        if (_total <= 0)
        {
            ReportUnknownTotal(done, elapsed, detail);
            return;
        }

        var decile = done * 10 / _total;
        var finished = done >= _total;
        if (_interactive ? (elapsed - _lastDraw).TotalMilliseconds < 200 && !finished : decile == _lastDecile && !finished)
        {
            return;
        }

        _lastDraw = elapsed;
        _lastDecile = decile;
        var rate = done / Math.Max(elapsed.TotalSeconds, 1e-9);
        var eta = rate > 0 ? TimeSpan.FromSeconds((_total - done) / rate) : TimeSpan.Zero;
        var width = 30;
        var filled = (int)(width * Math.Min(done, _total) / _total);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_label} [{new string('#', filled)}{new string('.', width - filled)}] {done}/{_total} {_unit}, {rate:F1} {_unit}/s, ETA {eta:hh\\:mm\\:ss}{(detail is null ? string.Empty : ", " + detail)}");
        if (_interactive)
        {
            Console.Error.Write($"\r{line}");
            if (finished)
            {
                Console.Error.WriteLine();
            }
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    private void ReportUnknownTotal(long done, TimeSpan elapsed, string? detail)
    {
        if ((elapsed - _lastDraw).TotalSeconds < (_interactive ? 0.2 : 30))
        {
            return;
        }

        _lastDraw = elapsed;
        var line = string.Create(CultureInfo.InvariantCulture, $"{_label}: {done} {_unit}, {done / Math.Max(elapsed.TotalSeconds, 1e-9):F1} {_unit}/s{(detail is null ? string.Empty : ", " + detail)}");
        Console.Error.Write(_interactive ? $"\r{line}" : line + Environment.NewLine);
    }
}
