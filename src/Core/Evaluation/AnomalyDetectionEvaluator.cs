using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>Computes <see cref="AnomalyDetectionMetrics"/> from a label column and a score column.</summary>
internal static class AnomalyDetectionEvaluator
{
    private const string ExpectedLabel = "Boolean (true = anomaly) or Single (1 = anomaly, 0 = normal)";

    public static AnomalyDetectionMetrics Evaluate(IDataView data, string labelColumnName, string scoreColumnName, int falsePositiveCount)
    {
        Guard.NotNull(data);
        Guard.MustBeGreaterThan(falsePositiveCount, 0);
        var label = InputColumns.Require(data.Schema, labelColumnName, t => t is BooleanDataViewType || t.Equals(NumberDataViewType.Single), ExpectedLabel);
        var score = InputColumns.Require(data.Schema, scoreColumnName, t => t.Equals(NumberDataViewType.Single), "Single");
        var rows = Read(data, label, score);
        long anomalies = rows.Count(r => r.Anomaly);
        long normals = rows.Count - anomalies;
        if (anomalies == 0 || normals == 0)
        {
            throw new ArgumentException($"evaluation needs both anomalous and normal rows in '{labelColumnName}', got {anomalies} anomalous and {normals} normal", nameof(data));
        }

        rows.Sort((a, b) => b.Score.CompareTo(a.Score));
        return new AnomalyDetectionMetrics(AreaUnderCurve(rows, anomalies, normals), DetectionRate(rows, anomalies, falsePositiveCount), anomalies, normals);
    }

    private static List<(float Score, bool Anomaly)> Read(IDataView data, DataViewSchema.Column label, DataViewSchema.Column score)
    {
        var rows = new List<(float, bool)>();
        using var cursor = data.GetRowCursor([label, score]);
        var scoreGetter = cursor.GetGetter<float>(score);
        Func<bool> isAnomaly;
        if (label.Type is BooleanDataViewType)
        {
            var getter = cursor.GetGetter<bool>(label);
            isAnomaly = () =>
            {
                bool value = false;
                getter(ref value);
                return value;
            };
        }
        else
        {
            var getter = cursor.GetGetter<float>(label);
            isAnomaly = () =>
            {
                float value = 0;
                getter(ref value);
                return value == 1 ? true : value == 0 ? false : throw new InvalidDataException($"label column '{label.Name}' holds {value}; expected 1 (anomaly) or 0 (normal)");
            };
        }

        float s = 0;
        while (cursor.MoveNext())
        {
            scoreGetter(ref s);
            if (float.IsNaN(s))
            {
                throw new InvalidDataException($"score column '{score.Name}' holds NaN at row {cursor.Position}");
            }

            rows.Add((s, isAnomaly()));
        }

        return rows;
    }

    /// <summary>Mann–Whitney U / (P·N) over rows sorted by descending score, ties counted one half.</summary>
    private static double AreaUnderCurve(List<(float Score, bool Anomaly)> sorted, long anomalies, long normals)
    {
        double pairs = 0;
        long normalsBelow = normals;
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            long tiedAnomalies = 0, tiedNormals = 0;
            for (; j < sorted.Count && sorted[j].Score == sorted[i].Score; j++)
            {
                if (sorted[j].Anomaly)
                {
                    tiedAnomalies++;
                }
                else
                {
                    tiedNormals++;
                }
            }

            normalsBelow -= tiedNormals;
            pairs += tiedAnomalies * (normalsBelow + (0.5 * tiedNormals));
            i = j;
        }

        return pairs / ((double)anomalies * normals);
    }

    private static double DetectionRate(List<(float Score, bool Anomaly)> sorted, long anomalies, int falsePositiveCount)
    {
        long detected = 0, falsePositives = 0;
        foreach (var (_, anomaly) in sorted)
        {
            if (anomaly)
            {
                detected++;
            }
            else if (++falsePositives >= falsePositiveCount)
            {
                break;
            }
        }

        return (double)detected / anomalies;
    }
}
