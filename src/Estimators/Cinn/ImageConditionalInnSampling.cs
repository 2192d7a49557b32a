namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// How an <see cref="ImageConditionalInnTransformer"/> draws the sample it adds for each row: the latent of a row is
/// N(0, <paramref name="Temperature"/>²·I) drawn from (<paramref name="Seed"/>, the fingerprint of the row's condition
/// image), so the same condition gets the same sample in every pass, whatever the batch or the row order.
/// </summary>
/// <param name="Temperature">Scale of the latent's standard deviation (1 = the model's distribution).</param>
/// <param name="Seed">The seed of every row's latent.</param>
public sealed record ImageConditionalInnSampling(double Temperature, int Seed);
