namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// What each <see cref="SiteLanes"/> lane of <see cref="SensitivityPass"/> keeps from one group of sites to the next:
/// its moment sums (2 R C doubles), its site block and its chunk buffers. Reusing them instead of leaving them to the
/// collector cut what one P = 1, T = 320 solve over 8 groups allocates by 54 MB (docs/propagator-benchmark.md).
/// </summary>
internal sealed class SensitivityLanes
{
    /// <summary>Per lane: the moment sums; the pass's result is lane 0's.</summary>
    public SiteMoments?[] Moments { get; } = new SiteMoments?[SiteLanes.Count];

    /// <summary>Per lane: a <see cref="SiteBlock{TLanes}"/> (typed by the SIMD width, hence object).</summary>
    public object?[] Blocks { get; } = new object?[SiteLanes.Count];

    /// <summary>Per lane: a <see cref="CrossProducts{TLanes}"/>.</summary>
    public object?[] CrossProducts { get; } = new object?[SiteLanes.Count];

    /// <summary>What <see cref="FactoredSensitivityPass"/> keeps instead (typed by the SIMD width, hence object).</summary>
    public object? Factored { get; set; }
}
