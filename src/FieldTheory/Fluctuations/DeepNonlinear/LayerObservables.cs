using FieldTheory.Fluctuations.DeepLinear;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>A site quantity that appears in an observable.</summary>
internal enum SiteQuantity : byte
{
    /// <summary>phi(h(n)).</summary>
    Phi,

    /// <summary>g(n).</summary>
    Gradient,

    /// <summary>z(n).</summary>
    Z,
}

/// <summary>coefficient x X(a) Y(b).</summary>
internal readonly record struct SiteProduct(double Coefficient, SiteQuantity X, int A, SiteQuantity Y, int B);

/// <summary>A plain (response-free) observable: a sum of products, at position <paramref name="Index"/> of q.</summary>
internal sealed record PlainObservable(int Index, SiteProduct[] Terms);

/// <summary>
/// A response observable V(I) x (response field in source direction <paramref name="Direction"/>) at position
/// <paramref name="Index"/> of q; its mean is E[dV(I)/dj(Direction)] (DESIGN.md 4.5).
/// </summary>
internal readonly record struct ResponseObservable(SiteQuantity Field, int I, int Direction, int Index);

/// <summary>
/// The columns of D that one source family of a layer reads: its source kernel over position pairs a &lt;= b (Phi^{l-1} for the
/// feature family, G^{l+1} for the backward family), with the derivative directions of a and b and the quantity W of
/// the Delta memory term of that family's equation (g in the h equation, phi in the z equation).
/// </summary>
internal sealed record KernelColumnGroup(SiteQuantity MemoryWeight, int[] Columns, int[] FirstDirection, int[] SecondDirection);

/// <summary>
/// The observables of hidden layer l of an L-hidden-layer network and the columns of D they read (DESIGN.md 4.5), over
/// the time-major positions i = n P + mu of <see cref="OrderParameterLayout"/>.
/// Rows: Phi^l(a &lt;= b) = phi_a phi_b, G^l(a &lt;= b) = g_a g_b, in layer L also f(i) = z(i) phi(i) / gamma0 (minus its
/// value at (0, mu) when centered); and the response observables: for l &lt; L, Q^l(i, j) = phi_i rho_j (V = phi, at i,
/// direction j_z(j)); for l &gt; 1, P^l(i, j) = sigma_i g_j (V = g, at j, direction j_h(i)). A middle layer has both.
/// Columns: the source kernel of each differentiated family (Phi^{l-1} for l &gt; 1, G^{l+1} for l &lt; L) over pairs
/// a &lt;= b, and f(j).
/// With test points (positions whose point never receives a Delta, <see cref="OrderParameterLayout.IsTraining"/>) only
/// the forward pass reaches them: Phi^l and the f rows run over every position, G^l, the backward index m of Q^l(i, m)
/// and the g index m of P^l(i, m) over training positions only; the G^{l+1} columns of test pairs and the f columns of
/// test positions are absent (-1: no training observable reads the test points' backward fields, and a test point has
/// no Delta). The slots of the absent order parameters stay inert in the layout (docs/deep-nonlinear-fluctuations.md).
/// </summary>
internal sealed class LayerObservables
{
    private LayerObservables(int size, int points, SourceDirections directions, PlainObservable[] plain, ResponseObservable[] responses,
        KernelColumnGroup[] groups, int[] predictionColumns)
    {
        Size = size;
        Points = points;
        Directions = directions;
        Plain = plain;
        Responses = responses;
        Groups = groups;
        PredictionColumns = predictionColumns;
        int pairs = size * (size + 1) / 2;
        PairFirst = new int[pairs];
        PairSecond = new int[pairs];
        PairInMemory = new bool[pairs];
        for (int a = 0, k = 0; a < size; a++)
        {
            for (int b = a; b < size; b++, k++)
            {
                PairFirst[k] = a;
                PairSecond[k] = b;
                PairInMemory[k] = a / points < b / points;
            }
        }
    }

    /// <summary>S = P (T + 1) positions.</summary>
    public int Size { get; }

    /// <summary>P, the training points.</summary>
    public int Points { get; }

    /// <summary>The differentiated source families and their direction indices.</summary>
    public SourceDirections Directions { get; }

    public PlainObservable[] Plain { get; }

    public ResponseObservable[] Responses { get; }

    /// <summary>One group of kernel columns per differentiated family (column -1 for a pair that is not an order parameter).</summary>
    public KernelColumnGroup[] Groups { get; }

    /// <summary>Column of q for f(j), or -1 at a test position (no Delta, so no column).</summary>
    public int[] PredictionColumns { get; }

    public int[] PairFirst { get; }

    public int[] PairSecond { get; }

    /// <summary>
    /// Whether pair (a, b) is in an earlier step at a than at b, so that the kernel entry (b, a) enters the Delta memory
    /// term of the equation at b (c Delta(a) W(a)); same-step pairs only feed the source covariance.
    /// </summary>
    public bool[] PairInMemory { get; }

    public int PairCount => PairFirst.Length;

    /// <summary>The observables of hidden layer <paramref name="layer"/> (1..L) of <paramref name="layout"/>.</summary>
    public static LayerObservables Of(OrderParameterLayout layout, int layer, double gamma0, bool centered)
    {
        int s = layout.Size, layers = layout.Layers, points = layout.Points;
        var directions = new SourceDirections(Feature: layer > 1, Backward: layer < layers);
        var plain = KernelRows(layout, layer);
        if (layer == layers)
        {
            for (int i = 0; i < s; i++)
            {
                int initial = i % points;
                var current = new SiteProduct(1 / gamma0, SiteQuantity.Z, i, SiteQuantity.Phi, i);
                plain.Add(new PlainObservable(layout.Prediction(i), centered
                    ? [current, new SiteProduct(-1 / gamma0, SiteQuantity.Z, initial, SiteQuantity.Phi, initial)]
                    : [current]));
            }
        }

        var responses = new List<ResponseObservable>();
        var groups = new List<KernelColumnGroup>();
        // The backward index of a response (rho^l(m) in Q^l, g^l(m) in P^l) is a training position: test points have no backward pass.
        if (layer < layers)
        {
            for (int n = 0; n < s; n++)
            {
                for (int m = 0; m < s; m++)
                {
                    if (layout.IsTraining(m))
                    {
                        responses.Add(new ResponseObservable(SiteQuantity.Phi, n, directions.Of(SourceFamily.Backward, m), layout.ResponseQ(layer, n, m)));
                    }
                }
            }
        }

        if (layer > 1)
        {
            for (int n = 0; n < s; n++)
            {
                for (int m = 0; m < s; m++)
                {
                    if (layout.IsTraining(m))
                    {
                        responses.Add(new ResponseObservable(SiteQuantity.Gradient, m, directions.Of(SourceFamily.Feature, n), layout.ResponseP(layer, n, m)));
                    }
                }
            }

            groups.Add(Group(s, directions, SourceFamily.Feature, SiteQuantity.Gradient, (a, b) => layout.Feature(layer - 1, a, b)));
        }

        if (layer < layers)
        {
            groups.Add(Group(s, directions, SourceFamily.Backward, SiteQuantity.Phi,
                (a, b) => layout.IsTraining(a) && layout.IsTraining(b) ? layout.Gradient(layer + 1, a, b) : -1));
        }

        return new LayerObservables(s, points, directions, [.. plain], [.. responses], [.. groups],
            [.. Enumerable.Range(0, s).Select(i => layout.IsTraining(i) ? layout.Prediction(i) : -1)]);
    }

    private static List<PlainObservable> KernelRows(OrderParameterLayout layout, int layer)
    {
        var rows = new List<PlainObservable>();
        for (int a = 0; a < layout.Size; a++)
        {
            for (int b = a; b < layout.Size; b++)
            {
                rows.Add(new PlainObservable(layout.Feature(layer, a, b), [new SiteProduct(1, SiteQuantity.Phi, a, SiteQuantity.Phi, b)]));
                if (layout.IsTraining(a) && layout.IsTraining(b))
                {
                    rows.Add(new PlainObservable(layout.Gradient(layer, a, b), [new SiteProduct(1, SiteQuantity.Gradient, a, SiteQuantity.Gradient, b)]));
                }
            }
        }

        return rows;
    }

    private static KernelColumnGroup Group(int s, SourceDirections directions, SourceFamily family, SiteQuantity memoryWeight, Func<int, int, int> column)
    {
        var columns = new List<int>();
        var first = new List<int>();
        var second = new List<int>();
        for (int a = 0; a < s; a++)
        {
            for (int b = a; b < s; b++)
            {
                columns.Add(column(a, b));
                first.Add(directions.Of(family, a));
                second.Add(directions.Of(family, b));
            }
        }

        return new KernelColumnGroup(memoryWeight, [.. columns], [.. first], [.. second]);
    }
}
