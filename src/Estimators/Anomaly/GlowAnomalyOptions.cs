using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>Options of Glow anomaly detection: Glow's training options plus the score and its threshold.</summary>
public sealed class GlowAnomalyOptions : GlowTrainerOptions
{
    /// <summary>Defaults of the anomaly settings.</summary>
    public static new class Defaults
    {
        /// <summary>The score: complexity-corrected, which unlike raw bits/dim survives simpler out-of-distribution data.</summary>
        public const AnomalyScoreKind ScoreKind = AnomalyScoreKind.ComplexityCorrected;

        /// <summary>Fraction of normal held-out rows allowed above the threshold.</summary>
        public const double TargetFalsePositiveRate = 0.05;
    }

    /// <summary>What the Score column holds.</summary>
    public AnomalyScoreKind ScoreKind { get; set; } = Defaults.ScoreKind;

    /// <summary>
    /// The threshold is the (1 − rate) quantile of the scores of the held-out validation rows (or of the training rows
    /// when ValidationFraction is 0), so about this fraction of normal data is flagged.
    /// </summary>
    public double TargetFalsePositiveRate { get; set; } = Defaults.TargetFalsePositiveRate;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!(TargetFalsePositiveRate > 0 && TargetFalsePositiveRate < 1))
        {
            throw new ArgumentException($"TargetFalsePositiveRate must be in (0, 1), got {TargetFalsePositiveRate}", nameof(TargetFalsePositiveRate));
        }
    }
}
