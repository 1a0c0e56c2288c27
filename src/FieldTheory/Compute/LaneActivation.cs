using System.Numerics;
using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// phi and phi' of a model's activation on <see cref="Vector{T}"/> lanes, shared by the SIMD CPU paths of the
/// ensembles and the two-layer theory: <see cref="VectorTanh"/> when the compiled formula is tanh(h) (phi' = 1 - phi^2,
/// as the generated jet has it), otherwise the generated jet lane by lane.
/// </summary>
internal readonly struct LaneActivation<TActivation>(bool tanh)
    where TActivation : struct, IActivation
{
    /// <summary>For <paramref name="model"/>: vectorised when its simplified formula is tanh(h).</summary>
    public static LaneActivation<TActivation> For(NetworkModel model) => new(IsTanh(model.Info.Activation));

    /// <summary>The generated jet lane by lane, whatever the activation (tests and comparisons).</summary>
    public static LaneActivation<TActivation> PerLaneOnly => new(false);

    /// <summary>True when the compiler's canonical, simplified phi is exactly tanh(h).</summary>
    public static bool IsTanh(ActivationInfo activation) => activation.Phi == "tanh(h)";

    /// <summary>Whether the vectorised tanh is used.</summary>
    public bool IsVectorised => tanh;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(Vector<double> h, out Vector<double> phi, out Vector<double> dphi)
    {
        if (tanh)
        {
            phi = VectorTanh.Tanh(h);
            dphi = Vector<double>.One - (phi * phi);
            return;
        }

        PerLane(h, out phi, out dphi);
    }

    /// <summary>The generated jet lane by lane (kept out of line: a stack buffer would stop the caller from inlining).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PerLane(Vector<double> h, out Vector<double> phi, out Vector<double> dphi)
    {
        Span<double> value = stackalloc double[Vector<double>.Count];
        Span<double> slope = stackalloc double[Vector<double>.Count];
        for (int lane = 0; lane < Vector<double>.Count; lane++)
        {
            ActivationJet jet = default(TActivation).Jet(h[lane]);
            value[lane] = jet.Value;
            slope[lane] = jet.D1;
        }

        phi = new Vector<double>(value);
        dphi = new Vector<double>(slope);
    }

    /// <summary>phi and phi' of one scalar (tails of rows that are not a whole number of vectors).</summary>
    public void Apply(double h, out double phi, out double dphi)
    {
        if (tanh)
        {
            phi = VectorTanh.Tanh(new Vector<double>(h))[0];
            dphi = 1.0 - (phi * phi);
            return;
        }

        ActivationJet jet = default(TActivation).Jet(h);
        phi = jet.Value;
        dphi = jet.D1;
    }
}
