using FieldTheory.Compute;
using FieldTheory.Models;

namespace FieldTheory.Tests.Models;

/// <summary>
/// The SIMD form the generator emits for every catalogue model (<see cref="IActivation.Lanes{TLanes}(TLanes, out TLanes, out TLanes)"/>
/// and its phi'' overload) against the scalar jet, lane by lane, at both lane widths: bit for bit where the formulas
/// use only arithmetic, conditionals and the functions evaluated per lane, within a few ulps where they use the
/// vectorised exp, log, tanh or erf; NaN and infinities where the scalar code has them. The two widths agree bit for
/// bit except through log: the runtime's Vector256.Log and Vector512.Log may differ by an ulp (exp is our own
/// <see cref="LaneExp"/>, the same operations at both widths, because the runtime's exps differed at h near 40 and in
/// the subnormal range), so models using log agree across widths to an ulp, not to the bit.
/// </summary>
public sealed class GeneratedLanesTests
{
    public static TheoryData<string> ModelNames() => [.. BuiltInModels.Catalogue.Models.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void LanesMatchTheScalarJet(string name)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(name);
        double[] points = Points(model.Info.Activation.Kinks);
        bool exact = !UsesVectorisedFunction(model.Info.Activation);
        bool sameBitsAcrossWidths = !UsesRuntimeLog(model.Info.Activation);
        double[][] narrow = model.Accept(new LaneEvaluation<VectorLanes>(points));
        double[][] wide = model.Accept(new LaneEvaluation<Vector512Lanes>(points));
        for (int i = 0; i < points.Length; i++)
        {
            ActivationJet jet = model.Jet(points[i]);
            double[] expected = [jet.Value, jet.D1, jet.Value, jet.D1, jet.D2];
            for (int output = 0; output < expected.Length; output++)
            {
                double lane = narrow[output][i];
                string where = $"{name}, output {output}, h = {points[i]:R}: lanes {lane:R}, scalar {expected[output]:R}";
                if (sameBitsAcrossWidths)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(lane), BitConverter.DoubleToInt64Bits(wide[output][i]));
                }
                else
                {
                    Assert.True(Math.Abs(lane - wide[output][i]) <= 1e-15 * Math.Abs(lane) || lane.Equals(wide[output][i]), where + $", 8 lanes {wide[output][i]:R}");
                }

                if (exact || !double.IsFinite(expected[output]))
                {
                    Assert.True(lane.Equals(expected[output]), where);
                }
                else
                {
                    Assert.True(Math.Abs(lane - expected[output]) <= 1e-13 * Math.Max(1.0, Math.Abs(expected[output])), where);
                }
            }
        }
    }

    [Fact]
    public void ArithmeticAndConditionalModelsAreComparedBitForBit()
    {
        // The exact branch above must be taken by some models, or the test would only ever check tolerances.
        string[] exact = [.. BuiltInModels.Catalogue.Models.Where(m => !UsesVectorisedFunction(m.Info.Activation)).Select(m => m.Name)];
        Assert.Contains("TwoLayerRelu", exact);
        Assert.Contains("Cubic", exact);
        Assert.DoesNotContain("TwoLayerTanh", exact);
    }

    private static bool UsesRuntimeLog(ActivationInfo activation) =>
        new[] { activation.Phi, activation.D1, activation.D2 }.Any(f => f.Contains("log(", StringComparison.Ordinal));

    // exp, log, tanh and erf are vectorised (a few ulps from the scalar functions); sqrt is correctly rounded, the
    // others run per lane.
    private static bool UsesVectorisedFunction(ActivationInfo activation) =>
        new[] { activation.Phi, activation.D1, activation.D2 }.Any(f => f.Contains("exp(", StringComparison.Ordinal)
            || f.Contains("log(", StringComparison.Ordinal) || f.Contains("tanh(", StringComparison.Ordinal)
            || f.Contains("erf(", StringComparison.Ordinal));

    // A grid over [-40, 40], the kinks and their neighbours, signed zeros, NaN, infinities and exp's overflow edges; a
    // multiple of eight points.
    private static double[] Points(IReadOnlyList<double> kinks)
    {
        var points = new List<double> { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 709.5, -709.5, 745.2, -745.2, 1e-300, -1e-300 };
        points.AddRange(Enumerable.Range(0, 801).Select(i => -40.0 + (0.1 * i) + 0.0037));
        foreach (double kink in kinks)
        {
            points.AddRange([kink, Math.BitDecrement(kink), Math.BitIncrement(kink)]);
        }

        while (points.Count % 8 != 0)
        {
            points.Add(0.5);
        }

        return [.. points];
    }

    // phi, phi' from the two-output overload, then phi, phi', phi'' from the three-output one, for every point.
    private sealed class LaneEvaluation<TLanes>(double[] points) : INetworkModelVisitor<double[][]>
        where TLanes : struct, ILanes<TLanes>
    {
        public double[][] Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation
        {
            double[][] outputs = [.. Enumerable.Range(0, 5).Select(_ => new double[points.Length])];
            for (int start = 0; start < points.Length; start += TLanes.Count)
            {
                TLanes h = TLanes.Load(ref points[start], 0);
                TActivation.Lanes(h, out TLanes phi, out TLanes dphi);
                TActivation.Lanes(h, out TLanes phi3, out TLanes dphi3, out TLanes d2phi);
                TLanes[] all = [phi, dphi, phi3, dphi3, d2phi];
                for (int output = 0; output < all.Length; output++)
                {
                    all[output].Store(ref outputs[output][start], 0);
                }
            }

            return outputs;
        }
    }
}
