using MLNetFlows.Models.Runtime;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// The InfoGAN objective's terms (Chen et al. 2016, eq. 5 with the variational lower bound L_I of eq. 4). GAN losses in
/// their logistic form: D minimises −log D(x) − log(1 − D(G(z, c))), G minimises −log D(G(z, c)) (the non-saturating
/// form of the paper and openai/InfoGAN). The information terms are Q's negative log-likelihoods of the codes that
/// generated the images; L_I = H(c) − NLL, so the mutual-information estimates are log Kᵢ − cross-entropy for a
/// categorical code and Σ (log 2 − NLL) for uniform [−1, 1] continuous codes under Q's Gaussian. All results are means
/// over the batch (scalars, in the caller's dispose scope).
/// </summary>
public static class InfoGanObjective
{
    /// <summary>D's loss: −mean log σ(real) − mean log(1 − σ(fake)).</summary>
    public static Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits)
    {
        ArgumentNullException.ThrowIfNull(realLogits);
        ArgumentNullException.ThrowIfNull(fakeLogits);
        using var scope = NewDisposeScope();
        var real = nn.functional.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits));
        var fake = nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits));
        return real.add(fake, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>G's loss: −mean log σ(fake).</summary>
    public static Tensor GeneratorLoss(Tensor fakeLogits)
    {
        ArgumentNullException.ThrowIfNull(fakeLogits);
        using var scope = NewDisposeScope();
        return nn.functional.binary_cross_entropy_with_logits(fakeLogits, ones_like(fakeLogits)).MoveToOuterDisposeScope();
    }

    /// <summary>Sum over the categorical codes of Q's mean cross-entropy of the classes that generated the images (0 without categorical codes).</summary>
    public static Tensor CategoricalLoss(InfoGanArchitecture architecture, InfoGanRecognition recognition, Tensor categories)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(recognition);
        ArgumentNullException.ThrowIfNull(categories);
        using var scope = NewDisposeScope();
        var total = zeros([], device: recognition.CategoryLogits.device);
        for (var i = 0; i < architecture.CategoryCounts.Count; i++)
        {
            total = total.add(nn.functional.cross_entropy(recognition.LogitsOf(architecture.CategoryCounts, i), categories.select(1, i)), Scalars.One);
        }

        return total.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Minus the mutual information between the images of a batch and Q's categorical predictions for them (regularised
    /// information maximisation, Krause et al. 2010), summed over the categorical codes:
    /// mean_n H(q(c | xₙ)) − H(mean_n q(c | xₙ)), in nats. Low when Q is confident on each image and, over the batch,
    /// predicts every class equally often; at least −Σ log Kᵢ. The marginal's logarithm is computed as a log-sum-exp, so
    /// confident predictions do not underflow.
    /// </summary>
    public static Tensor BatchCategoryInformationLoss(InfoGanArchitecture architecture, InfoGanRecognition recognition)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(recognition);
        using var scope = NewDisposeScope();
        var total = zeros([], device: recognition.CategoryLogits.device);
        var logCount = Scalars.Of(Math.Log(recognition.CategoryLogits.size(0)));
        for (var i = 0; i < architecture.CategoryCounts.Count; i++)
        {
            var logP = nn.functional.log_softmax(recognition.LogitsOf(architecture.CategoryCounts, i), 1);
            var conditionalEntropy = logP.exp().mul(logP).sum(1).mean().neg();
            var logMarginal = logP.logsumexp(0).sub(logCount);
            var marginalEntropy = logMarginal.exp().mul(logMarginal).sum().neg();
            total = total.add(conditionalEntropy.sub(marginalEntropy), Scalars.One);
        }

        return total.MoveToOuterDisposeScope();
    }

    /// <summary>Q's mean (over the batch) Gaussian negative log-likelihood of the continuous codes, summed over the codes (0 without continuous codes).</summary>
    public static Tensor ContinuousLoss(InfoGanRecognition recognition, Tensor continuous)
    {
        ArgumentNullException.ThrowIfNull(recognition);
        ArgumentNullException.ThrowIfNull(continuous);
        using var scope = NewDisposeScope();
        if (continuous.size(1) == 0)
        {
            return zeros([], device: continuous.device).MoveToOuterDisposeScope();
        }

        var logStd = recognition.ContinuousLogStd;
        var z = (continuous - recognition.ContinuousMean) * (-logStd).exp();
        var nll = z.mul(z).mul_(Scalars.Of(0.5)).add_(logStd, Scalars.One).add_(Scalars.Of(0.5 * Math.Log(2 * Math.PI)), Scalars.One);
        return nll.sum(1).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The entropy H(c) of the categorical codes under the prior, Σ log Kᵢ (nats).</summary>
    public static double CategoricalEntropy(InfoGanArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.CategoryCounts.Sum(k => Math.Log(k));
    }

    /// <summary>The differential entropy H(c) of the continuous codes under the prior, M·log 2 (nats; uniform in [−1, 1]).</summary>
    public static double ContinuousEntropy(InfoGanArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.ContinuousCodes * Math.Log(2);
    }
}
