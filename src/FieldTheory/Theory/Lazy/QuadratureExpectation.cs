using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Lazy;

/// <summary>
/// E[phi(u) phi(v)] and E[phi'(u) phi'(v)] by nested one-dimensional quadrature: u = sqrt(a) x,
/// v = sqrt(b) (rho x + sqrt(1 - rho^2) y) with x, y standard normal, each integral a composite Gauss-Legendre rule on
/// [-Cutoff, Cutoff] split into pieces no wider than <see cref="PieceWidth"/> and at the model's kinks (where phi' jumps
/// the error of an unsplit Gauss-Hermite rule decays only algebraically; split, every piece is smooth and the rule
/// converges geometrically). The Gaussian mass beyond the cutoff is below 1e-22.
/// </summary>
internal sealed class QuadratureExpectation : PairExpectation
{
    /// <summary>Half-width of the integration interval, in standard deviations.</summary>
    public const double Cutoff = 10.0;

    /// <summary>The widest smooth piece.</summary>
    public const double PieceWidth = 2.0;

    private readonly NetworkModel _model;
    private readonly double[] _kinks;
    private readonly double[] _nodes;
    private readonly double[] _weights;

    /// <summary>A rule with <paramref name="order"/> Gauss-Legendre nodes per piece.</summary>
    public QuadratureExpectation(NetworkModel model, int order)
    {
        _model = model;
        _kinks = [.. model.Info.Activation.Kinks];
        (_nodes, _weights) = GaussLegendre.Rule(order);
        Order = order;
    }

    /// <summary>Gauss-Legendre nodes per piece.</summary>
    public int Order { get; }

    /// <inheritdoc />
    public override bool IsExact => false;

    /// <inheritdoc />
    public override string Name => $"composite Gauss-Legendre quadrature split at kinks, {Order} nodes per piece";

    /// <inheritdoc />
    public override (double PhiPhi, double DerivativeDerivative) Evaluate(double a, double b, double c)
    {
        double sa = Math.Sqrt(Math.Max(a, 0.0));
        double sb = Math.Sqrt(Math.Max(b, 0.0));
        double rho = Correlation(a, b, c);
        double along = sb * rho;
        double across = sb * Math.Sqrt(Math.Max(0.0, 1.0 - (rho * rho)));
        var outerBreaks = new List<double>();
        AddKinks(outerBreaks, sa, 0.0);
        AddKinks(outerBreaks, along, 0.0);
        if (across > 0.0 && along != 0.0)
        {
            // E[phi(v) | x] changes on the scale across / |along| where v's mean crosses a kink: grade the pieces there.
            double scale = across / Math.Abs(along);
            foreach (double centre in outerBreaks.ToArray())
            {
                for (double offset = scale; offset < 2 * Cutoff; offset *= 3.0)
                {
                    outerBreaks.Add(centre - offset);
                    outerBreaks.Add(centre + offset);
                }
            }

            outerBreaks.RemoveAll(z => Math.Abs(z) >= Cutoff);
        }

        double phiPhi = 0.0;
        double derivative = 0.0;
        var innerBreaks = new List<double>();
        foreach ((double x, double wx) in Points(outerBreaks))
        {
            ActivationJet first = _model.Jet(sa * x);
            double mean = along * x;
            if (across == 0.0)
            {
                ActivationJet second = _model.Jet(mean);
                phiPhi += wx * first.Value * second.Value;
                derivative += wx * first.D1 * second.D1;
                continue;
            }

            innerBreaks.Clear();
            AddKinks(innerBreaks, across, mean);
            double phiInner = 0.0;
            double derivativeInner = 0.0;
            foreach ((double y, double wy) in Points(innerBreaks))
            {
                ActivationJet second = _model.Jet(mean + (across * y));
                phiInner += wy * second.Value;
                derivativeInner += wy * second.D1;
            }

            phiPhi += wx * first.Value * phiInner;
            derivative += wx * first.D1 * derivativeInner;
        }

        return (phiPhi, derivative);
    }

    // Points z where scale * z + offset hits a kink, inside the interval.
    private void AddKinks(List<double> breaks, double scale, double offset)
    {
        if (scale == 0.0)
        {
            return;
        }

        foreach (double kink in _kinks)
        {
            double z = (kink - offset) / scale;
            if (Math.Abs(z) < Cutoff)
            {
                breaks.Add(z);
            }
        }
    }

    // Nodes and weights (including the normal density) of the composite rule with the given extra break points.
    private IEnumerable<(double Z, double Weight)> Points(List<double> extraBreaks)
    {
        var breaks = new List<double>(extraBreaks) { -Cutoff, Cutoff };
        breaks.Sort();
        for (int piece = 0; piece + 1 < breaks.Count; piece++)
        {
            double left = breaks[piece];
            double right = breaks[piece + 1];
            int parts = Math.Max(1, (int)Math.Ceiling((right - left) / PieceWidth));
            double width = (right - left) / parts;
            for (int part = 0; part < parts; part++)
            {
                double centre = left + ((part + 0.5) * width);
                for (int k = 0; k < _nodes.Length; k++)
                {
                    double z = centre + (0.5 * width * _nodes[k]);
                    yield return (z, 0.5 * width * _weights[k] * Math.Exp(-0.5 * z * z) / Math.Sqrt(2.0 * Math.PI));
                }
            }
        }
    }
}
