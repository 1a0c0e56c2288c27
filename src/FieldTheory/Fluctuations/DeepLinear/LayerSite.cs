using static FieldTheory.Fluctuations.DeepLinear.SquareMatrix;

namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// The Gaussian site of one hidden layer l of a deep linear network (DESIGN.md 3.3), as a function of what it reads
/// from its neighbours: H^{l-1}, G^{l+1} and Delta (the order parameters, differentiated in D) and the responses
/// A^{l-1}, B^l (fixed: they sit in the conjugate variables q^, DESIGN.md 4.5). With C = A^{l-1} + eta LD o H^{l-1},
/// D = B^l + eta LD o G^{l+1}, M = (I - gamma0^2 C D)^-1, Nn = (I - gamma0^2 D C)^-1 the fields are
/// h = M (u + gamma0 C r), g = Nn (r + gamma0 D u) with u ~ N(0, H^{l-1}), r ~ N(0, G^{l+1}).
/// </summary>
internal sealed class LayerSite
{
    private readonly int _size;
    private readonly double _gamma0;
    private readonly double _eta;
    private readonly double[] _causalDelta;   // LD(i, j) = Theta(n_i > n_j) Delta(j)
    private readonly bool[] _causal;          // Theta(n_i > n_j)

    // Products reused by every tangent.
    private readonly double[] _gAboveCt;      // G^{l+1} C^T
    private readonly double[] _cGAbove;       // C G^{l+1}
    private readonly double[] _hBelowDt;      // H^{l-1} D^T
    private readonly double[] _sMt;           // S M^T
    private readonly double[] _rNnt;          // R Nn^T
    private readonly double[] _y;             // H^{l-1} D^T + C G^{l+1}
    private readonly double[] _yNnt;          // Y Nn^T
    private readonly double[] _mY;            // M Y

    public LayerSite(int size, int points, double gamma0, double eta, double[] delta,
        double[] hBelow, double[] gAbove, double[] aBelow, double[] bHere)
    {
        _size = size;
        _gamma0 = gamma0;
        _eta = eta;
        HBelow = hBelow;
        GAbove = gAbove;
        _causal = new bool[size * size];
        _causalDelta = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                if (i / points > j / points)
                {
                    _causal[i * size + j] = true;
                    _causalDelta[i * size + j] = delta[j];
                }
            }
        }

        double g2 = gamma0 * gamma0;
        C = Combine((1, aBelow), (eta, Hadamard(_causalDelta, hBelow)));
        D = Combine((1, bHere), (eta, Hadamard(_causalDelta, gAbove)));
        M = InverseOfIdentityMinusNilpotent(Scale(g2, Multiply(C, D, size)), size);
        Nn = InverseOfIdentityMinusNilpotent(Scale(g2, Multiply(D, C, size)), size);

        _gAboveCt = Multiply(gAbove, Transpose(C, size), size);
        _cGAbove = Multiply(C, gAbove, size);
        S = Combine((1, hBelow), (g2, Multiply(C, _gAboveCt, size)));
        _sMt = Multiply(S, Transpose(M, size), size);
        H = Multiply(M, _sMt, size);

        _hBelowDt = Multiply(hBelow, Transpose(D, size), size);
        R = Combine((1, gAbove), (g2, Multiply(D, _hBelowDt, size)));
        _rNnt = Multiply(R, Transpose(Nn, size), size);
        G = Multiply(Nn, _rNnt, size);

        A = Multiply(M, C, size);
        BBelow = Multiply(Nn, D, size);

        _y = Combine((1, _hBelowDt), (1, _cGAbove));
        _yNnt = Multiply(_y, Transpose(Nn, size), size);
        _mY = Multiply(M, _y, size);
        X = Scale(gamma0, Multiply(M, _yNnt, size));
    }

    public double[] HBelow { get; }

    public double[] GAbove { get; }

    public double[] C { get; }

    public double[] D { get; }

    /// <summary>dh/du = M.</summary>
    public double[] M { get; }

    /// <summary>dg/dr = Nn.</summary>
    public double[] Nn { get; }

    private double[] S { get; }

    private double[] R { get; }

    /// <summary>H^l = &lt;h h^T&gt;.</summary>
    public double[] H { get; }

    /// <summary>G^l = &lt;g g^T&gt;.</summary>
    public double[] G { get; }

    /// <summary>A^l = M C: dh/dr = gamma0 A^l.</summary>
    public double[] A { get; }

    /// <summary>B^{l-1} = Nn D: dg/du = gamma0 B^{l-1}.</summary>
    public double[] BBelow { get; }

    /// <summary>X^l = &lt;h g^T&gt;.</summary>
    public double[] X { get; }

    /// <summary>
    /// The exact first-order change of H^l, G^l, A^l, B^{l-1} and diag X^l when H^{l-1}, G^{l+1} and Delta move by
    /// the given amounts (A^{l-1} and B^l fixed); the derivative of each product of DESIGN.md 3.3 by the product rule.
    /// </summary>
    public LayerTangent Tangent(double[]? dHBelow, double[]? dGAbove, double[]? dDelta)
    {
        int size = _size;
        double g2 = _gamma0 * _gamma0;
        var dC = new double[size * size];
        var dD = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                int k = i * size + j;
                if (!_causal[k])
                {
                    continue;
                }

                double dld = dDelta is null ? 0 : dDelta[j];
                dC[k] = _eta * (dld * HBelow[k] + (dHBelow is null ? 0 : _causalDelta[k] * dHBelow[k]));
                dD[k] = _eta * (dld * GAbove[k] + (dGAbove is null ? 0 : _causalDelta[k] * dGAbove[k]));
            }
        }

        double[] dM = Scale(g2, Multiply(M, Combine((1, Multiply(dC, D, size)), (1, Multiply(C, dD, size))), M, size));
        double[] dNn = Scale(g2, Multiply(Nn, Combine((1, Multiply(dD, C, size)), (1, Multiply(D, dC, size))), Nn, size));

        // dS = dH^{l-1} + gamma0^2 (dC G C^T + C dG C^T + C G dC^T); dH^l = dM S M^T + M dS M^T + (dM S M^T)^T.
        double[] cGdCt = Multiply(_cGAbove, Transpose(dC, size), size);
        double[] dS = Combine((g2, Multiply(dC, _gAboveCt, size)), (g2, cGdCt));
        if (dGAbove is not null)
        {
            dS = Combine((1, dS), (g2, Multiply(C, Multiply(dGAbove, Transpose(C, size), size), size)));
        }

        if (dHBelow is not null)
        {
            dS = Combine((1, dS), (1, dHBelow));
        }

        double[] dH = Combine((1, PlusTranspose(Multiply(dM, _sMt, size), size)), (1, Multiply(M, Multiply(dS, Transpose(M, size), size), size)));

        // dR = dG^{l+1} + gamma0^2 (dD H D^T + D dH D^T + D H dD^T); dG^l likewise.
        double[] dR = Scale(g2, PlusTranspose(Multiply(dD, _hBelowDt, size), size));
        if (dHBelow is not null)
        {
            dR = Combine((1, dR), (g2, Multiply(D, Multiply(dHBelow, Transpose(D, size), size), size)));
        }

        if (dGAbove is not null)
        {
            dR = Combine((1, dR), (1, dGAbove));
        }

        double[] dG = Combine((1, PlusTranspose(Multiply(dNn, _rNnt, size), size)), (1, Multiply(Nn, Multiply(dR, Transpose(Nn, size), size), size)));

        double[] dA = Combine((1, Multiply(dM, C, size)), (1, Multiply(M, dC, size)));
        double[] dB = Combine((1, Multiply(dNn, D, size)), (1, Multiply(Nn, dD, size)));

        // X = gamma0 M Y Nn^T with Y = H D^T + C G: diag dX = gamma0 diag(dM Y Nn^T + M dY Nn^T + M Y dNn^T).
        double[] dY = Combine((1, Multiply(HBelow, Transpose(dD, size), size)), (1, Multiply(dC, GAbove, size)));
        if (dHBelow is not null)
        {
            dY = Combine((1, dY), (1, Multiply(dHBelow, Transpose(D, size), size)));
        }

        if (dGAbove is not null)
        {
            dY = Combine((1, dY), (1, Multiply(C, dGAbove, size)));
        }

        double[] mdY = Multiply(M, dY, size);
        var dXDiagonal = new double[size];
        for (int i = 0; i < size; i++)
        {
            double sum = 0;
            for (int k = 0; k < size; k++)
            {
                sum += dM[i * size + k] * _yNnt[k * size + i] + mdY[i * size + k] * Nn[i * size + k] + _mY[i * size + k] * dNn[i * size + k];
            }

            dXDiagonal[i] = _gamma0 * sum;
        }

        return new LayerTangent(dH, dG, dA, dB, dXDiagonal);
    }

    private static double[] Hadamard(double[] a, double[] b)
    {
        var product = new double[a.Length];
        for (int k = 0; k < a.Length; k++)
        {
            product[k] = a[k] * b[k];
        }

        return product;
    }

    private static double[] Scale(double w, double[] a)
    {
        var scaled = new double[a.Length];
        for (int k = 0; k < a.Length; k++)
        {
            scaled[k] = w * a[k];
        }

        return scaled;
    }
}

/// <summary>First-order changes of one layer's outputs (see <see cref="LayerSite.Tangent"/>).</summary>
internal sealed record LayerTangent(double[] H, double[] G, double[] A, double[] BBelow, double[] XDiagonal);
