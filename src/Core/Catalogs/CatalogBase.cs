namespace MLNetFlows;

/// <summary>Base of the catalogs: the <see cref="MLContext"/> they belong to, for extension methods of other assemblies.</summary>
public abstract class CatalogBase
{
    private protected CatalogBase(MLContext context) => Context = context;

    /// <summary>Gets the context this catalog belongs to.</summary>
    public MLContext Context { get; }
}
