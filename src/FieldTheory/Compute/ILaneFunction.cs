using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// phi and phi' on SIMD lanes as a type: the hot loops are generic over it, so the choice between the vectorised
/// tanh and the generated jet is made once per run, not per vector (a branch and an out-of-line call in the loop cost
/// a quarter of the two-layer sweep). <see cref="LaneActivation{TActivation}"/> says which one a model takes.
/// </summary>
internal interface ILaneFunction
{
    /// <summary>phi(h) and phi'(h) lane by lane.</summary>
    static abstract void Apply<TLanes>(TLanes h, out TLanes phi, out TLanes dphi)
        where TLanes : struct, ILanes<TLanes>;
}

/// <summary>tanh by <see cref="LaneTanh"/>, phi' = 1 - phi^2 (as the generated jet of tanh(h) has it).</summary>
internal readonly struct TanhLanes : ILaneFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply<TLanes>(TLanes h, out TLanes phi, out TLanes dphi)
        where TLanes : struct, ILanes<TLanes>
    {
        phi = LaneTanh.Tanh(h);
        dphi = TLanes.Create(1.0) - (phi * phi);
    }
}

/// <summary>Any activation: its generated jet, one lane at a time.</summary>
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
