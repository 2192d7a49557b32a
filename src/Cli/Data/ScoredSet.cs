using MLNetFlows.Data;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Cli.Data;

/// <summary>The per-image outputs of a Glow detector over one data set, read into arrays for reports.</summary>
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

    public float[] Complexity { get; }

    public float[] Score { get; }

    /// <summary>Per level: that level's bits/dim for every image.</summary>
    public float[][] LevelBitsPerDim { get; }

    public int Count => Score.Length;

    public static ScoredSet Read(string name, GlowAnomalyTransformer detector, IDataView data)
    {
        var scored = detector.Transform(data);
        var schema = scored.Schema;
        var columns = new[] { GlowColumns.BitsPerDim, GlowColumns.ComplexityBitsPerDim, GlowColumns.Score, GlowColumns.LevelBitsPerDim }.Select(c => schema[c]).ToArray();
        var (bits, complexity, score) = (new List<float>(), new List<float>(), new List<float>());
        var levels = Enumerable.Range(0, detector.Density.Architecture.Levels).Select(_ => new List<float>()).ToArray();
        using var cursor = scored.GetRowCursor(columns);
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
        }

        return new ScoredSet(name, [.. bits], [.. complexity], [.. score], [.. levels.Select(l => l.ToArray())]);
    }

    /// <summary>AUROC with this set normal and <paramref name="anomalous"/> anomalous, for a score picked from each set.</summary>
    public double AreaUnderRocCurve(ScoredSet anomalous, Func<ScoredSet, float[]> score)
    {
        var ml = new MLContext(0);
        var normalScores = score(this);
        var anomalousScores = score(anomalous);
        var view = new ArrayDataViewBuilder()
            .AddColumn("Label", BooleanDataViewType.Instance, [.. Enumerable.Repeat(false, normalScores.Length), .. Enumerable.Repeat(true, anomalousScores.Length)])
            .AddColumn("Score", NumberDataViewType.Single, [.. normalScores, .. anomalousScores])
            .GetDataView();
        return ml.AnomalyDetection.Evaluate(view).AreaUnderRocCurve;
    }

    /// <summary>The AUROC table rows of <paramref name="anomalous"/> against this (normal) set.</summary>
    public IEnumerable<(string Score, double Auroc)> AurocTable(ScoredSet anomalous, AnomalyScoreKind detectorKind)
    {
        yield return ("bits/dim (raw)", AreaUnderRocCurve(anomalous, s => s.BitsPerDim));
        yield return ("complexity-corrected (Serrà)", AreaUnderRocCurve(anomalous, s => s.BitsPerDim.Zip(s.Complexity, (b, c) => b - c).ToArray()));
        yield return ("complexity alone (PNG bits/dim)", AreaUnderRocCurve(anomalous, s => s.Complexity));
        for (var l = 0; l < LevelBitsPerDim.Length; l++)
        {
            var level = l;
            yield return ($"level {level} bits/dim", AreaUnderRocCurve(anomalous, s => s.LevelBitsPerDim[level]));
        }

        yield return ($"detector Score ({detectorKind})", AreaUnderRocCurve(anomalous, s => s.Score));
    }
}
