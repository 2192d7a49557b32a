namespace MLNetFlows;

/// <summary>
/// The entry point of every pipeline, as in ML.NET: catalogs of operations (<see cref="Data"/>,
/// <see cref="Transforms"/>, <see cref="Model"/>, <see cref="AnomalyDetection"/>), a seed for reproducible
/// randomness, and a <see cref="Log"/> event. Other assemblies add operations as extension methods on the catalogs.
/// </summary>
public sealed class MLContext
{
    private readonly Random _random;
    private readonly object _randomLock = new();

    /// <summary>Initializes a new context.</summary>
    /// <param name="seed">The seed of every operation that does not receive its own; null for a non-deterministic seed.</param>
    public MLContext(int? seed = null)
    {
        Seed = seed;
        _random = seed is int s ? new Random(s) : new Random();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        Model = new ModelOperationsCatalog(this);
        AnomalyDetection = new AnomalyDetectionCatalog(this);
    }

    /// <summary>Raised for every message written by the components of this context.</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>Gets the seed given at construction, or null.</summary>
    public int? Seed { get; }

    /// <summary>Gets the data loading, splitting and filtering operations.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Gets the transforms.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Gets model saving and loading.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>Gets anomaly detection trainers and evaluation.</summary>
    public AnomalyDetectionCatalog AnomalyDetection { get; }

    /// <summary>Draws the next seed from the context's generator (thread-safe): operations without their own seed use it.</summary>
    /// <returns>A seed.</returns>
    public int NextSeed()
    {
        lock (_randomLock)
        {
            return _random.Next();
        }
    }

    /// <summary>Writes a message to <see cref="Log"/>.</summary>
    /// <param name="kind">The message kind.</param>
    /// <param name="source">The component writing the message.</param>
    /// <param name="message">The message.</param>
    public void WriteLog(ChannelMessageKind kind, string source, string message) =>
        Log?.Invoke(this, new LoggingEventArgs($"[{source}] {message}", kind, source));
}
