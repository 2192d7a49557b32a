using System.Globalization;
using System.Net;
using System.Text;

namespace MLNetFlows.Cli.Reporting;

/// <summary>Minimal inline-SVG charts for the HTML report: overlaid histograms and a line chart.</summary>
internal static class SvgCharts
{
    private const int Width = 560;
    private const int Height = 260;
    private const int Margin = 40;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c"];

    /// <summary>Overlaid normalised histograms of several series over a shared range.</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<(string Name, float[] Values)> series, int bins = 40)
    {
        var finite = series.SelectMany(s => s.Values).Where(float.IsFinite).ToArray();
        var (low, high) = (Percentile(finite, 0.005), Percentile(finite, 0.995));
        if (high <= low)
        {
            high = low + 1;
        }

        var counts = series.Select(s =>
        {
            var h = new double[bins];
            foreach (var v in s.Values.Where(float.IsFinite))
            {
                h[Math.Clamp((int)((v - low) / (high - low) * bins), 0, bins - 1)] += 1.0 / s.Values.Length;
            }

            return h;
        }).ToArray();
        var top = counts.SelectMany(c => c).DefaultIfEmpty(1).Max();
        var svg = Begin(title);
        for (var s = 0; s < series.Count; s++)
        {
            for (var b = 0; b < bins; b++)
            {
                var barWidth = (Width - (2.0 * Margin)) / bins;
                var barHeight = counts[s][b] / top * (Height - (2.0 * Margin));
                svg.Append(Invariant($"<rect x='{Margin + (b * barWidth):F1}' y='{Height - Margin - barHeight:F1}' width='{barWidth:F1}' height='{barHeight:F1}' fill='{Colors[s % Colors.Length]}' fill-opacity='0.45'/>"));
            }

            svg.Append(Invariant($"<text x='{Width - Margin - 150}' y='{Margin + 4 + (s * 16)}' fill='{Colors[s % Colors.Length]}' font-size='12'>{Escape(series[s].Name)}</text>"));
        }

        return End(svg, xLabel, low, high);
    }

    /// <summary>Lines through (x, y) points, one per series.</summary>
    public static string Lines(string title, string xLabel, IReadOnlyList<(string Name, (double X, double Y)[] Points)> series)
    {
        var all = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToArray();
        var (xLow, xHigh) = (all.Min(p => p.X), Math.Max(all.Max(p => p.X), all.Min(p => p.X) + 1));
        var ys = all.Select(p => (float)p.Y).ToArray();
        var (yLow, yHigh) = (Percentile(ys, 0.0), Percentile(ys, 0.98));
        if (yHigh <= yLow)
        {
            yHigh = yLow + 1;
        }

        var svg = Begin(title);
        for (var s = 0; s < series.Count; s++)
        {
            var points = string.Join(' ', series[s].Points.Where(p => double.IsFinite(p.Y)).Select(p => Invariant(
                $"{Margin + ((p.X - xLow) / (xHigh - xLow) * (Width - (2 * Margin))):F1},{Height - Margin - ((Math.Min(p.Y, yHigh) - yLow) / (yHigh - yLow) * (Height - (2 * Margin))):F1}")));
            svg.Append(Invariant($"<polyline points='{points}' fill='none' stroke='{Colors[s % Colors.Length]}' stroke-width='1.5'/>"));
            svg.Append(Invariant($"<text x='{Width - Margin - 150}' y='{Margin + 4 + (s * 16)}' fill='{Colors[s % Colors.Length]}' font-size='12'>{Escape(series[s].Name)}</text>"));
        }

        svg.Append(Invariant($"<text x='4' y='{Margin}' font-size='11'>{yHigh:F2}</text><text x='4' y='{Height - Margin}' font-size='11'>{yLow:F2}</text>"));
        return End(svg, xLabel, (float)xLow, (float)xHigh);
    }

    private static StringBuilder Begin(string title) => new StringBuilder()
        .Append(Invariant($"<svg xmlns='http://www.w3.org/2000/svg' width='{Width}' height='{Height}' font-family='sans-serif'>"))
        .Append(Invariant($"<text x='{Margin}' y='20' font-size='14'>{Escape(title)}</text>"))
        .Append(Invariant($"<line x1='{Margin}' y1='{Height - Margin}' x2='{Width - Margin}' y2='{Height - Margin}' stroke='black'/>"));

    private static string End(StringBuilder svg, string xLabel, float low, float high) => svg
        .Append(Invariant($"<text x='{Margin}' y='{Height - Margin + 16}' font-size='11'>{low:G4}</text>"))
        .Append(Invariant($"<text x='{Width - Margin - 30}' y='{Height - Margin + 16}' font-size='11'>{high:G4}</text>"))
        .Append(Invariant($"<text x='{(Width / 2) - 40}' y='{Height - 6}' font-size='12'>{Escape(xLabel)}</text></svg>"))
        .ToString();

    private static float Percentile(float[] values, double q)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
