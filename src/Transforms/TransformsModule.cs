using System.Runtime.CompilerServices;
using MLNetFlows.Persistence;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Transforms;

/// <summary>Registers this assembly's model loaders when the assembly is first used or named by a model file.</summary>
internal static class TransformsModule
{
#pragma warning disable CA2255 // Justified: loaders must be registered before Model.Load meets their kind; the registry runs this module constructor for the assembly named in the model file.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterLoaders()
    {
        ModelLoaderRegistry.Register(ColumnCopyingTransformer.LoaderKind, ColumnCopyingTransformer.Load);
        ModelLoaderRegistry.Register(ColumnConcatenatingTransformer.LoaderKind, ColumnConcatenatingTransformer.Load);
        ModelLoaderRegistry.Register(ImageLoadingTransformer.LoaderKind, ImageLoadingTransformer.Load);
        ModelLoaderRegistry.Register(ImageResizingTransformer.LoaderKind, ImageResizingTransformer.Load);
        ModelLoaderRegistry.Register(ImageGrayscalingTransformer.LoaderKind, ImageGrayscalingTransformer.Load);
        ModelLoaderRegistry.Register(ImagePixelExtractingTransformer.LoaderKind, ImagePixelExtractingTransformer.Load);
        ModelLoaderRegistry.Register(VectorToImageConvertingTransformer.LoaderKind, VectorToImageConvertingTransformer.Load);
    }
}
