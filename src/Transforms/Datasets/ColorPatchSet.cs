using System.Diagnostics;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// Square colour patches cut from photographs (<see cref="ColorPatches"/>): <see cref="Count"/> patches of
/// 3 × <see cref="PatchSize"/> × <see cref="PatchSize"/> bytes, planar RGB, each with the photograph it comes from.
/// Rows interleave the photographs (row k comes from the (k mod n)-th photograph that still has patches), so any
/// first rows span all of them. Immutable.
/// </summary>
public sealed class ColorPatchSet
{
    private readonly byte[] _pixels;
    private readonly int[] _sources;

    internal ColorPatchSet(int patchSize, IReadOnlyList<string> photographs, byte[] pixels, int[] sources)
    {
        Debug.Assert(pixels.Length == (long)sources.Length * 3 * patchSize * patchSize, "3·S·S bytes per patch");
        PatchSize = patchSize;
        Photographs = photographs;
        _pixels = pixels;
        _sources = sources;
    }

    /// <summary>Gets the number of patches.</summary>
    public int Count => _sources.Length;

    /// <summary>Gets the side of every patch, in pixels.</summary>
    public int PatchSize { get; }

    /// <summary>Gets the names of the photographs the patches come from (file or wallpaper names), in load order.</summary>
    public IReadOnlyList<string> Photographs { get; }

    /// <summary>Gets the number of values of one patch, 3·S·S.</summary>
    public int ValuesPerPatch => 3 * PatchSize * PatchSize;

    /// <summary>Gets the planar RGB bytes of patch <paramref name="index"/> (R plane, G plane, B plane).</summary>
    /// <param name="index">The patch index, in [0, <see cref="Count"/>).</param>
    /// <returns>3·S·S bytes.</returns>
    public ReadOnlyMemory<byte> GetRgb(int index) => _pixels.AsMemory(CheckIndex(index) * ValuesPerPatch, ValuesPerPatch);

    /// <summary>Gets the index into <see cref="Photographs"/> of the photograph patch <paramref name="index"/> was cut from.</summary>
    /// <param name="index">The patch index, in [0, <see cref="Count"/>).</param>
    public int PhotographOf(int index) => _sources[CheckIndex(index)];

    private int CheckIndex(int index) => (uint)index < (uint)Count
        ? index
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"expected a patch index in [0, {Count}), got {index}");
}
