namespace MLNetFlows;

/// <summary>The transforms: <c>mlContext.Transforms.X(...)</c>. Assemblies add transforms as extension methods.</summary>
public sealed class TransformsCatalog : CatalogBase
{
    internal TransformsCatalog(MLContext context)
        : base(context)
    {
    }
}
