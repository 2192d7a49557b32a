using System.Globalization;
using System.Net;
using System.Text;
using MLNetFlows.Cli.Data;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Cli.Reporting;

/// <summary>The demo's HTML report: figures, the AUROC table, score histograms in vs out of distribution, the training curve, samples.</summary>
internal static class DemoReport
{
    /// <summary>The report as one self-contained HTML page (inline SVG; the samples PNG beside it).</summary>
    /// <param name="run">What was trained, in one sentence.</param>
    /// <param name="testBitsPerDim">Test bits/dim under uniform dequantisation.</param>
    /// <param name="test">The in-distribution test set's scores.</param>
    /// <param name="ood">The out-of-distribution set's scores.</param>
    /// <param name="table">AUROC of each score.</param>
    /// <param name="curve">Training bits/dim per step.</param>
    /// <param name="history">The per-epoch figures.</param>
    /// <param name="temperature">The samples' temperature.</param>
    /// <param name="samplesFile">The samples PNG, relative to the report.</param>
    public static string Render(string run, double testBitsPerDim, ScoredSet test, ScoredSet ood, IReadOnlyList<(string Score, double Auroc)> table,
        IReadOnlyList<(double Step, double BitsPerDim)> curve, IReadOnlyList<GlowEpochReport> history, double temperature, string samplesFile) =>
        new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset='utf-8'><title>MLNetFlows Glow demo</title></head><body style='font-family:sans-serif;max-width:1200px'>")
            .Append(Invariant($"<h1>Glow on Fashion-MNIST</h1><p>{Escape(run)}. Test bits/dim {testBitsPerDim:F4} per original pixel with uniform dequantisation ({test.BitsPerDim.Average():F4} at the bin centres).</p>"))
            .Append(Invariant($"<h2>Out-of-distribution detection: {Escape(test.Name)} vs {Escape(ood.Name)}</h2><table border='1' cellpadding='4'><tr><th>score</th><th>AUROC</th></tr>"))
            .Append(string.Concat(table.Select(t => Invariant($"<tr><td>{Escape(t.Score)}</td><td>{t.Auroc:F4}</td></tr>"))))
            .Append("</table>")
            .Append(SvgCharts.Histogram("bits/dim (raw): MNIST looks MORE likely (Nalisnick et al. 2019)", "bits/dim", [(test.Name, test.BitsPerDim), (ood.Name, ood.BitsPerDim)]))
            .Append(SvgCharts.Histogram("complexity-corrected score (Serrà et al. 2020)", "bits/dim − PNG bits/dim", [(test.Name, test.Score), (ood.Name, ood.Score)]))
            .Append("<h2>Training</h2>")
            .Append(SvgCharts.Lines("training bits/dim per step", "step", [("train (per step)", curve.ToArray())]))
            .Append("<ul>")
            .Append(string.Concat(history.Select(h => Invariant(
                $"<li>epoch {h.Epoch}: train {h.TrainBitsPerDim:F4}, validation {h.ValidationBitsPerDim:F4} bits/dim, {h.ImagesPerSecond:F0} images/s</li>"))))
            .Append(Invariant($"</ul><h2>Samples (temperature {temperature})</h2><img src='{Escape(samplesFile)}' style='image-rendering:pixelated;width:512px'/></body></html>"))
            .ToString();

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
