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
/// The observables of one hidden layer of a two-hidden-layer network and the columns of D it reads (DESIGN.md 4.5).
/// Rows: Phi^l(a &lt;= b) = phi_a phi_b, G^l(a &lt;= b) = g_a g_b, in layer 2 also f(n) = z(n) phi(n) / gamma0 (minus its
/// n = 0 value when centered); and the response observables V(i) x (response field at k), whose mean is
/// E[dV(i)/dj(k)]: layer 1 Q^1(n, m) = phi_n rho_m (V = phi, i = n, k = m, j = j_z), layer 2 P^2(n, m) = sigma_n g_m
/// (V = g, i = m, k = n, j = j_h). Columns: the source kernel of the active family (G^2 for layer 1, Phi^1 for layer 2)
/// over pairs a &lt;= b, and f(j).
/// </summary>
internal sealed class LayerObservables
{
    private LayerObservables(int size, PlainObservable[] plain, (int I, int K, int Index)[] responses, SiteQuantity response,
        SiteQuantity memoryWeight, int[] kernelColumns, int[] predictionColumns)
    {
        Size = size;
        Plain = plain;
        Responses = responses;
        Response = response;
        MemoryWeight = memoryWeight;
        KernelColumns = kernelColumns;
        PredictionColumns = predictionColumns;
        int pairs = size * (size + 1) / 2;
        PairFirst = new int[pairs];
        PairSecond = new int[pairs];
        for (int a = 0, k = 0; a < size; a++)
        {
            for (int b = a; b < size; b++, k++)
            {
                PairFirst[k] = a;
                PairSecond[k] = b;
            }
        }
    }

    public int Size { get; }

    public PlainObservable[] Plain { get; }

    /// <summary>Response observables: V(I) with the response field at K, stored at Index of q.</summary>
    public (int I, int K, int Index)[] Responses { get; }

    /// <summary>V of the response observables.</summary>
    public SiteQuantity Response { get; }

    /// <summary>The quantity W in the Delta memory term of the active equation: g in the h equation, phi in the z equation.</summary>
    public SiteQuantity MemoryWeight { get; }

    /// <summary>Column of q for the source-kernel pair k (pairs a &lt;= b in row-major order).</summary>
    public int[] KernelColumns { get; }

    /// <summary>Column of q for f(j).</summary>
    public int[] PredictionColumns { get; }

    public int[] PairFirst { get; }

    public int[] PairSecond { get; }

    public int PairCount => PairFirst.Length;

    /// <summary>Layer 1 of two: rows Phi^1, G^1, Q^1; columns G^2 and f.</summary>
    public static LayerObservables First(OrderParameterLayout layout)
    {
        int s = layout.Size;
        var plain = KernelRows(layout, 1);
        var responses = new List<(int, int, int)>();
        for (int n = 0; n < s; n++)
        {
            for (int m = 0; m < s; m++)
            {
                responses.Add((n, m, layout.ResponseQ(1, n, m)));
            }
        }

        return new LayerObservables(s, [.. plain], [.. responses], SiteQuantity.Phi, SiteQuantity.Phi,
            PairColumns(s, (a, b) => layout.Gradient(2, a, b)), PredictionColumnsOf(layout));
    }

    /// <summary>Layer 2 of two: rows Phi^2, G^2, P^2, f; columns Phi^1 and f.</summary>
    public static LayerObservables Second(OrderParameterLayout layout, double gamma0, bool centered)
    {
        int s = layout.Size;
        var plain = KernelRows(layout, 2);
        for (int n = 0; n < s; n++)
        {
            var current = new SiteProduct(1 / gamma0, SiteQuantity.Z, n, SiteQuantity.Phi, n);
            plain.Add(new PlainObservable(layout.Prediction(n), centered
                ? [current, new SiteProduct(-1 / gamma0, SiteQuantity.Z, 0, SiteQuantity.Phi, 0)]
                : [current]));
        }

        var responses = new List<(int, int, int)>();
        for (int n = 0; n < s; n++)
        {
            for (int m = 0; m < s; m++)
            {
                responses.Add((m, n, layout.ResponseP(2, n, m)));
            }
        }

        return new LayerObservables(s, [.. plain], [.. responses], SiteQuantity.Gradient, SiteQuantity.Gradient,
            PairColumns(s, (a, b) => layout.Feature(1, a, b)), PredictionColumnsOf(layout));
    }

    private static List<PlainObservable> KernelRows(OrderParameterLayout layout, int layer)
    {
        var rows = new List<PlainObservable>();
        for (int a = 0; a < layout.Size; a++)
        {
            for (int b = a; b < layout.Size; b++)
            {
                rows.Add(new PlainObservable(layout.Feature(layer, a, b), [new SiteProduct(1, SiteQuantity.Phi, a, SiteQuantity.Phi, b)]));
                rows.Add(new PlainObservable(layout.Gradient(layer, a, b), [new SiteProduct(1, SiteQuantity.Gradient, a, SiteQuantity.Gradient, b)]));
            }
        }

        return rows;
    }

    private static int[] PairColumns(int s, Func<int, int, int> column)
    {
        var columns = new List<int>();
        for (int a = 0; a < s; a++)
        {
            for (int b = a; b < s; b++)
            {
                columns.Add(column(a, b));
            }
        }

        return [.. columns];
    }

    private static int[] PredictionColumnsOf(OrderParameterLayout layout) =>
        [.. Enumerable.Range(0, layout.Size).Select(layout.Prediction)];
}
