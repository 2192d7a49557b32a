using MLNetFlows.Data;
using static MLNetFlows.Transforms.Image.ImageResizingEstimator;

namespace MLNetFlows.Transforms.Tests.Image;

public sealed class ResizeTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static byte[] Resize(MLImage image, int width, int height, ResizingKind kind = ResizingKind.Fill, Anchor anchor = Anchor.Center)
    {
        IDataView data = Images.View(Ml, image);
        IDataView output = Ml.Transforms.ResizeImages("Out", width, height, "Image", kind, anchor).Fit(data).Transform(data);
        Assert.Equal(new ImageDataViewType(height, width), output.Schema["Out"].Type);
        MLImage resized = Images.Column<MLImage>(output, "Out")[0];
        Assert.Equal((width, height, image.PixelFormat), (resized.Width, resized.Height, resized.PixelFormat));
        return resized.Pixels.ToArray();
    }

    [Fact]
    public void Bilinear_Upsampling_IsPixelCentreAligned()
    {
        // PyTorch: F.interpolate(torch.tensor([[[[0., 100.]]]]), size=(1, 4), mode="bilinear", align_corners=False) = [0, 25, 75, 100].
        Assert.Equal(new byte[] { 0, 25, 75, 100 }, Resize(Images.Gray(2, 1, 0, 100), 4, 1));
    }

    [Fact]
    public void Bilinear_Downsampling_AveragesNeighbours()
    {
        // Sources 0.5 and 2.5: (0 + 100) / 2 and (200 + 250) / 2.
        Assert.Equal(new byte[] { 50, 225 }, Resize(Images.Gray(4, 1, 0, 100, 200, 250), 2, 1));
        // In 2-D, a 2 × 2 → 1 × 1 reduction averages all four (per channel).
        Assert.Equal(new byte[] { 25, 50, 255 }, Resize(Images.Rgb(2, 2, 0, 0, 255, 100, 100, 255, 0, 0, 255, 0, 100, 255), 1, 1));
    }

    [Fact]
    public void Bilinear_SameSize_IsIdentity()
    {
        byte[] pixels = [.. Enumerable.Range(0, 35).Select(i => (byte)(i * 7))];
        Assert.Equal(pixels, Resize(Images.Gray(7, 5, pixels), 7, 5, ResizingKind.IsoCrop));
    }

    [Theory]
    [InlineData(Anchor.Left, new byte[] { 1, 2, 5, 6 })]
    [InlineData(Anchor.Right, new byte[] { 3, 4, 7, 8 })]
    [InlineData(Anchor.Center, new byte[] { 2, 3, 6, 7 })]
    [InlineData(Anchor.Top, new byte[] { 2, 3, 6, 7 })]
    public void IsoCrop_KeepsTheAnchoredPart(Anchor anchor, byte[] expected) =>
        Assert.Equal(expected, Resize(Images.Gray(4, 2, 1, 2, 3, 4, 5, 6, 7, 8), 2, 2, ResizingKind.IsoCrop, anchor));

    [Theory]
    [InlineData(Anchor.Top, new byte[] { 1, 2 })]
    [InlineData(Anchor.Bottom, new byte[] { 7, 8 })]
    [InlineData(Anchor.Left, new byte[] { 4, 5 })]
    public void IsoCrop_HeightCropped_UsesTopAndBottom_ElseCentre(Anchor anchor, byte[] expected) =>
        Assert.Equal(expected, Resize(Images.Gray(2, 4, 1, 2, 3, 4, 5, 6, 7, 8), 2, 1, ResizingKind.IsoCrop, anchor));

    [Fact]
    public void IsoPad_CentresTheImage_OnOpaqueBlack()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0 }, Resize(Images.Gray(4, 2, 1, 2, 3, 4, 5, 6, 7, 8), 4, 4, ResizingKind.IsoPad));
        Assert.Equal(new byte[] { 0, 0, 0, 255, 9, 9, 9, 9, 0, 0, 0, 255 }, Resize(Images.Rgba(1, 1, 9, 9, 9, 9), 3, 1, ResizingKind.IsoPad));
    }

    [Fact]
    public void Fill_StretchesEachAxis()
    {
        Assert.Equal(new byte[] { 0, 0, 25, 25, 75, 75, 100, 100 }, Resize(Images.Gray(1, 2, 0, 100), 2, 4));
    }

    [Fact]
    public void MissingImage_StaysMissing()
    {
        IDataView data = Images.View(Ml, (MLImage?)null);
        IDataView output = Ml.Transforms.ResizeImages("Out", 2, 2, "Image").Append(Ml.Transforms.ConvertToGrayscale("Out")).Fit(data).Transform(data);
        Assert.Null(Images.Column<MLImage>(output, "Out")[0]);
    }
}
