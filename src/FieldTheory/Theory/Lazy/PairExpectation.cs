namespace FieldTheory.Theory.Lazy;

/// <summary>
/// E[phi(u) phi(v)] and E[phi'(u) phi'(v)] for (u, v) ~ N(0, [[a, c], [c, b]]): the two Gaussian expectations of
/// the NNGP/NTK recursions (DESIGN.md 3.4).
/// </summary>
internal abstract class PairExpectation
{
    /// <summary>True when the values are exact (closed form), false when they come from quadrature.</summary>
    public abstract bool IsExact { get; }

    /// <summary>Short name for result descriptions.</summary>
    public abstract string Name { get; }

    /// <summary>E[phi(u) phi(v)] and E[phi'(u) phi'(v)] with Var u = a, Var v = b, Cov(u, v) = c.</summary>
    public abstract (double PhiPhi, double DerivativeDerivative) Evaluate(double a, double b, double c);

    /// <summary>The closed form of <paramref name="info"/>'s Gaussian family, or null for <see cref="GaussianFamily.General"/>.</summary>
    public static PairExpectation? ClosedForm(ActivationInfo info)
    {
        IReadOnlyList<double> p = info.FamilyParameters;
        return info.Family switch
        {
            GaussianFamily.Linear => new PolynomialExpectation([p[0], p[1]]),
            GaussianFamily.Polynomial => new PolynomialExpectation([.. p]),
            GaussianFamily.ReluLike => new ReluLikeExpectation(p[0], p[1]),
            GaussianFamily.Erf => new ErfExpectation(p[0], p[1], p[2]),
            _ => null,
        };
    }

    /// <summary>The correlation c / sqrt(a b), clamped to [-1, 1]; 0 when either variance vanishes.</summary>
    protected static double Correlation(double a, double b, double c) =>
        a <= 0.0 || b <= 0.0 ? 0.0 : Math.Clamp(c / Math.Sqrt(a * b), -1.0, 1.0);
}

/// <summary>
/// phi(h) = sum_k c_k h^k, by Isserlis' theorem: E[u^i v^j] = sum_k C(i,k) C(j,k) k! c^k (i-k-1)!! a^((i-k)/2)
/// (j-k-1)!! b^((j-k)/2) over k with i - k and j - k even (k cross pairings, the rest paired within u and within v).
/// </summary>
internal sealed class PolynomialExpectation(double[] coefficients) : PairExpectation
{
    private readonly double[] _phi = coefficients;
    private readonly double[] _derivative = coefficients.Length > 1
        ? [.. coefficients.Skip(1).Select((c, k) => (k + 1) * c)]
        : [0.0];

    /// <inheritdoc />
    public override bool IsExact => true;

    /// <inheritdoc />
    public override string Name => _phi.Length <= 2 ? "linear closed form" : "polynomial closed form (Isserlis)";

    /// <inheritdoc />
    public override (double PhiPhi, double DerivativeDerivative) Evaluate(double a, double b, double c) =>
        (Bilinear(_phi, a, b, c), Bilinear(_derivative, a, b, c));

    private static double Bilinear(double[] coefficients, double a, double b, double c)
    {
        double sum = 0.0;
        for (int i = 0; i < coefficients.Length; i++)
        {
            for (int j = 0; j < coefficients.Length; j++)
            {
                if (coefficients[i] != 0.0 && coefficients[j] != 0.0)
                {
                    sum += coefficients[i] * coefficients[j] * Moment(i, j, a, b, c);
                }
            }
        }

        return sum;
    }

    private static double Moment(int i, int j, double a, double b, double c)
    {
        double sum = 0.0;
        for (int k = i % 2; k <= Math.Min(i, j); k += 2)
        {
            if ((j - k) % 2 != 0)
            {
                continue;
            }

            sum += Binomial(i, k) * Binomial(j, k) * Factorial(k) * Math.Pow(c, k)
                * DoubleFactorial(i - k - 1) * Math.Pow(a, (i - k) / 2)
                * DoubleFactorial(j - k - 1) * Math.Pow(b, (j - k) / 2);
        }

        return sum;
    }

    private static double Binomial(int n, int k) => Factorial(n) / (Factorial(k) * Factorial(n - k));

    private static double Factorial(int n) => n <= 1 ? 1.0 : n * Factorial(n - 1);

    private static double DoubleFactorial(int n) => n <= 1 ? 1.0 : n * DoubleFactorial(n - 2);
}

/// <summary>
/// phi(h) = a h (h &lt; 0), b h (h &gt; 0), i.e. a h + (b - a) relu(h): arc-cosine kernels with theta = arccos(rho),
/// E[relu(u) relu(v)] = sqrt(Var u Var v) (sin theta + (pi - theta) cos theta) / (2 pi), E[u relu(v)] = Cov / 2,
/// E[1(u &gt; 0) 1(v &gt; 0)] = (pi - theta) / (2 pi).
/// </summary>
internal sealed class ReluLikeExpectation(double negativeSlope, double positiveSlope) : PairExpectation
{
    /// <inheritdoc />
    public override bool IsExact => true;

    /// <inheritdoc />
    public override string Name => "piecewise-linear closed form (arc-cosine kernels)";

    /// <inheritdoc />
    public override (double PhiPhi, double DerivativeDerivative) Evaluate(double a, double b, double c)
    {
        double jump = positiveSlope - negativeSlope;
        double theta = Math.Acos(Correlation(a, b, c));
        double reluRelu = Math.Sqrt(a * b) * (Math.Sin(theta) + ((Math.PI - theta) * Math.Cos(theta))) / (2.0 * Math.PI);
        double stepStep = a <= 0.0 || b <= 0.0 ? 0.25 : (Math.PI - theta) / (2.0 * Math.PI);
        double phiPhi = (negativeSlope * negativeSlope * c) + (negativeSlope * jump * c) + (jump * jump * reluRelu);
        double derivative = (negativeSlope * positiveSlope) + (jump * jump * stepStep);
        return (phiPhi, derivative);
    }
}

/// <summary>
/// phi(h) = A erf(B h) + C: the arcsine kernel E[erf(Bu) erf(Bv)] = (2/pi) arcsin(2B^2 c / sqrt((1 + 2B^2 a)(1 + 2B^2 b)))
/// and, for phi' = A B (2/sqrt pi) exp(-B^2 h^2), E[phi'(u) phi'(v)] = A^2 B^2 (4/pi) / sqrt((1 + 2B^2 a)(1 + 2B^2 b) - 4B^4 c^2).
/// </summary>
internal sealed class ErfExpectation(double amplitude, double scale, double offset) : PairExpectation
{
    /// <inheritdoc />
    public override bool IsExact => true;

    /// <inheritdoc />
    public override string Name => "erf closed form (arcsine kernel)";

    /// <inheritdoc />
    public override (double PhiPhi, double DerivativeDerivative) Evaluate(double a, double b, double c)
    {
        double s2 = 2.0 * scale * scale;
        double ua = 1.0 + (s2 * a);
        double ub = 1.0 + (s2 * b);
        double arcsine = 2.0 / Math.PI * Math.Asin(Math.Clamp(s2 * c / Math.Sqrt(ua * ub), -1.0, 1.0));
        double phiPhi = (amplitude * amplitude * arcsine) + (offset * offset);
        double derivative = amplitude * amplitude * scale * scale * 4.0 / Math.PI / Math.Sqrt((ua * ub) - (s2 * s2 * c * c));
        return (phiPhi, derivative);
    }
}
