namespace MLNetFlows.Transforms.Image;

/// <summary>What <c>LoadImagesSafely</c> does with a row whose image cannot be loaded. Either way the failure is counted and reported in <see cref="ImageLoadingDiagnostics"/>.</summary>
public enum BadImageHandling
{
    /// <summary>The row is left out of the output (the view's row count becomes unknown); the job goes on.</summary>
    Skip,

    /// <summary>The first bad image (in row order) fails the pass with an <see cref="ImageLoadException"/> naming its path and reason.</summary>
    Fail,
}
