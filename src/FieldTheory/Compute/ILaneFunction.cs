using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// phi and phi' on SIMD lanes as a type: the hot loops are generic over it, so the choice between the generated SIMD
/// form and the scalar jet is made once per run, not per vector (a branch and an out-of-line call in the loop cost
/// a quarter of the two-layer sweep). <see cref="LaneActivation{TActivation}"/> says which one a model takes.
/// </summary>
internal interface ILaneFunction
{
    /// <summary>phi(h) and phi'(h) lane by lane.</summary>
    static abstract void Apply<TLanes>(TLanes h, out TLanes phi, out TLanes dphi)
        where TLanes : struct, ILanes<TLanes>;
}

/// <summary>The activation's generated SIMD form (<see cref="IActivation.Lanes{TLanes}(TLanes, out TLanes, out TLanes)"/>).</summary>
internal readonly struct GeneratedLanes<TActivation> : ILaneFunction
    where TActivation : struct, IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply<TLanes>(TLanes h, out TLanes phi, out TLanes dphi)
        where TLanes : struct, ILanes<TLanes> => TActivation.Lanes(h, out phi, out dphi);
}

/// <summary>Any activation: its generated scalar jet, one lane at a time (the reference the SIMD form is tested against).</summary>
internal readonly struct JetLanes<TActivation> : ILaneFunction
    where TActivation : struct, IActivation
{
    /// <remarks>Kept out of line: its stack buffers would stop the caller from inlining.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TLanes>(TLanes h, out TLanes phi, out TLanes dphi)
        where TLanes : struct, ILanes<TLanes>
    {
        Span<double> value = stackalloc double[TLanes.Count];
        Span<double> slope = stackalloc double[TLanes.Count];
        for (int lane = 0; lane < TLanes.Count; lane++)
        {
            ActivationJet jet = default(TActivation).Jet(h[lane]);
            value[lane] = jet.Value;
            slope[lane] = jet.D1;
        }

        phi = TLanes.Load(ref value[0], 0);
        dphi = TLanes.Load(ref slope[0], 0);
    }
}
