using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Cli.Data;

/// <summary>The per-image outputs of a Glow detector over one input, read into arrays for AUROC tables and reports.</summary>
internal sealed class ScoredSet
{
    private ScoredSet(string name, float[] bitsPerDim, float[] complexity, float[] score, float[][] levels)
    {
        Name = name;
        BitsPerDim = bitsPerDim;
        Complexity = complexity;
        Score = score;
        LevelBitsPerDim = levels;
    }

    public string Name { get; }

    public float[] BitsPerDim { get; }

    /// <summary>Gets the PNG bits/dim of every image (Serrà et al.'s complexity term).</summary>
    public float[] Complexity { get; }

    public float[] Score { get; }

    /// <summary>Gets, per level, that level's bits/dim for every image.</summary>
    public float[][] LevelBitsPerDim { get; }

    public int Count => Score.Length;

    /// <summary>Scores every row of <paramref name="input"/> with <paramref name="detector"/> (batched, one pass).</summary>
    public static ScoredSet Read(GlowAnomalyTransformer detector, ImageInput input, ProgressBar? progress = null)
    {
        var scored = detector.Transform(input.Data);
        var schema = scored.Schema;
        var columns = new[] { GlowColumns.BitsPerDim, GlowColumns.ComplexityBitsPerDim, GlowColumns.Score, GlowColumns.LevelBitsPerDim }.Select(c => schema[c]).ToArray();
        var (bits, complexity, score) = (new List<float>(), new List<float>(), new List<float>());
        var levels = Enumerable.Range(0, detector.Density.Architecture.Levels).Select(_ => new List<float>()).ToArray();
        using (var cursor = scored.GetRowCursor(columns))
        {
            var getBits = cursor.GetGetter<float>(columns[0]);
            var getComplexity = cursor.GetGetter<float>(columns[1]);
            var getScore = cursor.GetGetter<float>(columns[2]);
            var getLevels = cursor.GetGetter<VBuffer<float>>(columns[3]);
            float value = 0;
            VBuffer<float> vector = default;
            while (cursor.MoveNext())
            {
                getBits(ref value);
                bits.Add(value);
                getComplexity(ref value);
                complexity.Add(value);
                getScore(ref value);
                score.Add(value);
                getLevels(ref vector);
                var values = vector.GetValues();
                for (var l = 0; l < levels.Length; l++)
                {
                    levels[l].Add(values[l]);
                }

                progress?.Report(score.Count);
            }
        }

        progress?.Complete(score.Count);
        input.ReportBadImages();
        if (score.Count == 0)
        {
            throw new InvalidDataException($"{input.Name}: no image to score (every one was skipped or the input is empty)");
        }

        return new ScoredSet(input.Name, [.. bits], [.. complexity], [.. score], [.. levels.Select(l => l.ToArray())]);
    }

    /// <summary>
    /// ML.NET's anomaly-detection AUROC (<c>mlContext.AnomalyDetection.Evaluate</c>, every example counted) with this set
    /// normal and <paramref name="anomalous"/> anomalous, for a score picked from each set (higher = more anomalous).
    /// </summary>
    public double AreaUnderRocCurve(MLContext ml, ScoredSet anomalous, Func<ScoredSet, float[]> score)
    {
        var rows = score(this).Select(s => new Example(0, s)).Concat(score(anomalous).Select(s => new Example(1, s))).ToArray();
        return ml.AnomalyDetection.Evaluate(ml.Data.LoadFromEnumerable(rows)).AreaUnderRocCurve;
    }

    /// <summary>The AUROC table rows of <paramref name="anomalous"/> against this (normal) set.</summary>
    public IEnumerable<(string Score, double Auroc)> AurocTable(MLContext ml, ScoredSet anomalous, AnomalyScoreKind detectorKind)
    {
        yield return ("bits/dim (raw)", AreaUnderRocCurve(ml, anomalous, s => s.BitsPerDim));
        yield return ("complexity-corrected (Serrà)", AreaUnderRocCurve(ml, anomalous, s => [.. s.BitsPerDim.Zip(s.Complexity, (b, c) => b - c)]));
        yield return ("complexity alone (PNG bits/dim)", AreaUnderRocCurve(ml, anomalous, s => s.Complexity));
        for (var l = 0; l < LevelBitsPerDim.Length; l++)
        {
            var level = l;
            yield return ($"level {level} bits/dim", AreaUnderRocCurve(ml, anomalous, s => s.LevelBitsPerDim[level]));
        }

        yield return ($"detector Score ({detectorKind})", AreaUnderRocCurve(ml, anomalous, s => s.Score));
    }

    /// <summary>One row of ML.NET's anomaly evaluation: label 1 = anomaly; the predicted label is not used for AUROC.</summary>
    private sealed class Example(float label, float score)
    {
        public float Label { get; } = label;

        public float Score { get; } = score;

        public bool PredictedLabel => false;
    }
}
