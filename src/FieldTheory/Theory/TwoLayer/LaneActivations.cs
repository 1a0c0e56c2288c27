using System.Numerics;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>phi and phi' of <see cref="Vector{T}.Count"/> pre-activations at once.</summary>
internal interface ILaneActivation
{
    /// <summary>phi(h) and phi'(h), lane by lane.</summary>
    void Evaluate(Vector<double> h, out Vector<double> value, out Vector<double> derivative);
}

/// <summary>Any generated activation, evaluated lane by lane with its scalar <see cref="IActivation.Jet"/>.</summary>
/// <typeparam name="TActivation">The model's generated activation.</typeparam>
internal readonly struct PerLane<TActivation> : ILaneActivation
    where TActivation : struct, IActivation
{
    /// <inheritdoc />
    public void Evaluate(Vector<double> h, out Vector<double> value, out Vector<double> derivative)
    {
        Span<double> values = stackalloc double[Vector<double>.Count];
        Span<double> derivatives = stackalloc double[Vector<double>.Count];
        for (int lane = 0; lane < Vector<double>.Count; lane++)
        {
            ActivationJet jet = default(TActivation).Jet(h[lane]);
            values[lane] = jet.Value;
            derivatives[lane] = jet.D1;
        }

        value = new Vector<double>(values);
        derivative = new Vector<double>(derivatives);
    }
}

/// <summary>
/// tanh in SIMD: tanh h = sign(h) (1 - e) / (1 + e) with e = exp(-2|h|), so nothing overflows; phi' = 1 - tanh^2.
/// The absolute error is a few ulp of 1 (relative error grows like 1e-16 / |h| as h -> 0, where tanh h ~ h).
/// </summary>
internal readonly struct TanhLanes : ILaneActivation
{
    /// <inheritdoc />
    public void Evaluate(Vector<double> h, out Vector<double> value, out Vector<double> derivative)
    {
        Vector<double> e = Vector.Exp(Vector.Abs(h) * -2.0);
        Vector<double> magnitude = (Vector<double>.One - e) / (Vector<double>.One + e);
        value = Vector.ConditionalSelect(Vector.LessThan(h, Vector<double>.Zero), -magnitude, magnitude);
        derivative = Vector<double>.One - (magnitude * magnitude);
    }
}

/// <summary>Recognises the activations that have a SIMD implementation.</summary>
internal static class LaneActivations
{
    /// <summary>True when the compiler's simplified phi is exactly tanh(h).</summary>
    public static bool IsTanh(ActivationInfo activation) =>
        string.Concat(activation.Phi.Where(c => !char.IsWhiteSpace(c))) == "tanh(h)";
}
