using System.Diagnostics;
using System.Globalization;

namespace MLNetFlows.Cli.Reporting;

/// <summary>
/// A one-line progress bar on stderr with rate and ETA: redrawn in place (at most 5 times a second) on a terminal,
/// printed every 10 % otherwise, so that the logs of batch jobs stay readable. With an unknown total only the count and
/// the rate are shown (every 30 s in logs).
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private readonly string _label;
    private readonly string _unit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private long _total;
    private long? _first;
    private long _lastDecile = -1;
    private TimeSpan? _lastDraw;
    private long _finishedAt = -1;
    private bool _lineOpen;

    /// <summary>A bar over <paramref name="total"/> units; 0 for a total not known (yet).</summary>
    public ProgressBar(string label, long total, string unit)
    {
        _label = label;
        _total = total;
        _unit = unit;
    }

    /// <summary>Sets the total once it is known (e.g. from the first training step).</summary>
    public void SetTotal(long total) => _total = total;

    /// <summary>Reports <paramref name="done"/> units so far; the rate counts from the first report (a resumed run starts high).</summary>
    public void Report(long done, string? detail = null)
    {
        _first ??= done - 1;
        var elapsed = _clock.Elapsed;
        var finished = _total > 0 && done >= _total;
        var sinceDraw = elapsed - (_lastDraw ?? TimeSpan.FromHours(-1));
        var due = _interactive ? sinceDraw.TotalMilliseconds >= 200
            : _total > 0 ? done * 10 / _total != _lastDecile
            : sinceDraw.TotalSeconds >= 30;
        if (due || finished)
        {
            Draw(done, elapsed, detail);
        }

        if (finished)
        {
            _finishedAt = done;
            EndLine();
        }
    }

    /// <summary>Draws the final state and ends the line (a count short of the total, e.g. after skipped images, is final too).</summary>
    public void Complete(long done, string? detail = null)
    {
        if (_finishedAt == done)
        {
            return;
        }

        _finishedAt = done;
        _first ??= 0;
        Draw(done, _clock.Elapsed, detail);
        EndLine();
    }

    /// <summary>Prints a line of its own on stderr without breaking the bar (the bar is drawn again at the next report).</summary>
    public void Log(string line)
    {
        if (_lineOpen)
        {
            Console.Error.Write("\r\u001b[K");
            _lineOpen = false;
        }

        Console.Error.WriteLine(line);
        _lastDraw = null;
    }

    private void Draw(long done, TimeSpan elapsed, string? detail)
    {
        _lastDraw = elapsed;
        _lastDecile = _total > 0 ? done * 10 / _total : -1;
        var rate = (done - (_first ?? 0)) / Math.Max(elapsed.TotalSeconds, 1e-9);
        var suffix = detail is null ? string.Empty : ", " + detail;
        string line;
        if (_total > 0)
        {
            var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Max(_total - done, 0) / rate) : TimeSpan.Zero;
            var filled = (int)(Width * Math.Min(done, _total) / _total);
            line = string.Create(CultureInfo.InvariantCulture,
                $"{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{_total} {_unit}, {rate:F1} {_unit}/s, ETA {eta:hh\\:mm\\:ss}{suffix}");
        }
        else
        {
            line = string.Create(CultureInfo.InvariantCulture, $"{_label}: {done} {_unit}, {rate:F1} {_unit}/s{suffix}");
        }

        if (_interactive)
        {
            Console.Error.Write($"\r{line}\u001b[K");
            _lineOpen = true;
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    private void EndLine()
    {
        if (_lineOpen)
        {
            Console.Error.WriteLine();
            _lineOpen = false;
        }
    }
}
