using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The propagator's dense kernels on row-major matrices, in register tiles of four rows by three SIMD vectors of
/// columns (<see cref="Lanes"/>): each loaded vector of the right factor serves four rows, each broadcast coefficient
/// three vectors, so the loops run at the FMA units' rate rather than the caches'.
/// <list type="bullet">
/// <item><see cref="ForwardSolve"/>: Y &lt;- (I + L)^-1 Y for a strictly lower-triangular L, by forward substitution;</item>
/// <item><see cref="RowQuadraticForms"/>: a_r^T S a_r for every row a_r of a matrix, over a leading block per row.</item>
/// </list>
/// Each tile is computed by one thread in a fixed order (the solve's entries add their terms in ascending inner order
/// with one fused multiply-add each, as plain forward substitution does), so results do not depend on how the tiles are
/// split over threads: they are bit-identical on any number of cores.
/// </summary>
internal static class TriangularTiles
{
    private const int TileRows = 4;

    /// <summary>Three vectors of the widest lanes (24 doubles), a multiple of every tile width.</summary>
    public const int ColumnAlignment = 24;

    /// <summary><paramref name="width"/> rounded up to whole tiles: the row stride the kernels take.</summary>
    public static int PaddedWidth(int width) => (width + ColumnAlignment - 1) / ColumnAlignment * ColumnAlignment;

    /// <summary>
    /// Y &lt;- (I + L)^-1 Y for the strictly lower-triangular part of the n x n row-major <paramref name="lower"/> and an
    /// n-row <paramref name="y"/> of row stride <see cref="PaddedWidth"/>(<paramref name="width"/>), whose padding
    /// columns are zero and stay zero. With <paramref name="columnRows"/> (non-decreasing), column c is needed only in
    /// its rows [0, columnRows[c]): rows past a column tile's largest limit are not computed and hold unspecified values.
    /// Entry (i, c) is y_ic - sum_{j &lt; i} L_ij y_jc with j ascending, one fused multiply-add per term, as plain forward
    /// substitution computes it.
    /// </summary>
    public static void ForwardSolve(double[] lower, int n, double[] y, int width, int[]? columnRows = null)
    {
        if (Lanes.UseVector512)
        {
            ForwardSolve<Vector512Lanes>(lower, n, y, width, columnRows);
        }
        else
        {
            ForwardSolve<VectorLanes>(lower, n, y, width, columnRows);
        }
    }

    /// <summary>
    /// q_r = sum_{i, j &lt; limit_r} a_ri S_ij a_rj for each row a_r of the rows x n row-major <paramref name="a"/>, with
    /// S n x n of row stride <see cref="PaddedWidth"/>(n) and the limits non-decreasing (rows time-major). a_r must
    /// vanish past its limit: the tiles of four rows run their inner sums to the largest limit among them.
    /// </summary>
    public static double[] RowQuadraticForms(double[] a, int rows, double[] s, int n, int[] limits)
    {
        return Lanes.UseVector512
            ? RowQuadraticForms<Vector512Lanes>(a, rows, s, n, limits)
            : RowQuadraticForms<VectorLanes>(a, rows, s, n, limits);
    }

    /// <summary>The n x n block of a matrix of row stride <see cref="PaddedWidth"/>(n), transposed in place.</summary>
    public static void TransposePadded(double[] y, int n)
    {
        int stride = PaddedWidth(n);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                (y[(i * stride) + j], y[(j * stride) + i]) = (y[(j * stride) + i], y[(i * stride) + j]);
            }
        }
    }

    /// <summary>The rows x width matrix <paramref name="x"/> copied into rows of stride <see cref="PaddedWidth"/>(width).</summary>
    public static double[] Pad(ReadOnlySpan<double> x, int rows, int width)
    {
        int padded = PaddedWidth(width);
        var target = new double[(long)rows * padded];
        for (int i = 0; i < rows; i++)
        {
            x.Slice(i * width, width).CopyTo(target.AsSpan(i * padded, width));
        }

        return target;
    }

    /// <summary>The inverse of <see cref="Pad"/>.</summary>
    public static double[] Unpad(double[] padded, int rows, int width)
    {
        int stride = PaddedWidth(width);
        var target = new double[(long)rows * width];
        for (int i = 0; i < rows; i++)
        {
            padded.AsSpan(i * stride, width).CopyTo(target.AsSpan(i * width, width));
        }

        return target;
    }

    private static void ForwardSolve<TLanes>(double[] lower, int n, double[] y, int width, int[]? columnRows)
        where TLanes : struct, ILanes<TLanes>
    {
        int tileWidth = 3 * TLanes.Count;
        int stride = PaddedWidth(width);
        int tiles = (width + tileWidth - 1) / tileWidth;
        Parallel.For(0, tiles, tile =>
        {
            int column = tile * tileWidth;
            int lastColumn = Math.Min(width, column + tileWidth) - 1;
            int rowsNeeded = columnRows is null ? n : Math.Min(n, columnRows[lastColumn]);
            int i = 0;
            for (; i + TileRows <= rowsNeeded; i += TileRows)
            {
                SolveFourRows<TLanes>(lower, n, y, stride, i, column);
            }

            for (; i < rowsNeeded; i++)
            {
                SolveOneRow<TLanes>(lower, n, y, stride, i, column);
            }
        });
    }

    // Rows [i, i + 4) of the column tile at `column`: first the terms of the rows above the tile (j < i) for all four
    // rows at once, then the triangle inside the tile (row i + r takes rows i .. i + r - 1, already final).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SolveFourRows<TLanes>(double[] lower, int n, double[] y, int stride, int i, int column)
        where TLanes : struct, ILanes<TLanes>
    {
        int w = TLanes.Count;
        ref double yRef = ref MemoryMarshal.GetArrayDataReference(y);
        ref double dRef = ref MemoryMarshal.GetArrayDataReference(lower);
        nuint row0 = ((nuint)i * (nuint)stride) + (nuint)column;
        nuint row1 = row0 + (nuint)stride, row2 = row1 + (nuint)stride, row3 = row2 + (nuint)stride;
        TLanes a0 = TLanes.Load(ref yRef, row0), a1 = TLanes.Load(ref yRef, row0 + (nuint)w), a2 = TLanes.Load(ref yRef, row0 + (nuint)(2 * w));
        TLanes b0 = TLanes.Load(ref yRef, row1), b1 = TLanes.Load(ref yRef, row1 + (nuint)w), b2 = TLanes.Load(ref yRef, row1 + (nuint)(2 * w));
        TLanes c0 = TLanes.Load(ref yRef, row2), c1 = TLanes.Load(ref yRef, row2 + (nuint)w), c2 = TLanes.Load(ref yRef, row2 + (nuint)(2 * w));
        TLanes e0 = TLanes.Load(ref yRef, row3), e1 = TLanes.Load(ref yRef, row3 + (nuint)w), e2 = TLanes.Load(ref yRef, row3 + (nuint)(2 * w));
        nuint d0 = (nuint)i * (nuint)n, d1 = d0 + (nuint)n, d2 = d1 + (nuint)n, d3 = d2 + (nuint)n;
        nuint source = (nuint)column;
        for (int j = 0; j < i; j++, source += (nuint)stride)
        {
            TLanes s0 = TLanes.Load(ref yRef, source), s1 = TLanes.Load(ref yRef, source + (nuint)w), s2 = TLanes.Load(ref yRef, source + (nuint)(2 * w));
            TLanes m = TLanes.Create(Unsafe.Add(ref dRef, d0 + (nuint)j));
            a0 = TLanes.NegatedMultiplyAdd(m, s0, a0);
            a1 = TLanes.NegatedMultiplyAdd(m, s1, a1);
            a2 = TLanes.NegatedMultiplyAdd(m, s2, a2);
            m = TLanes.Create(Unsafe.Add(ref dRef, d1 + (nuint)j));
            b0 = TLanes.NegatedMultiplyAdd(m, s0, b0);
            b1 = TLanes.NegatedMultiplyAdd(m, s1, b1);
            b2 = TLanes.NegatedMultiplyAdd(m, s2, b2);
            m = TLanes.Create(Unsafe.Add(ref dRef, d2 + (nuint)j));
            c0 = TLanes.NegatedMultiplyAdd(m, s0, c0);
            c1 = TLanes.NegatedMultiplyAdd(m, s1, c1);
            c2 = TLanes.NegatedMultiplyAdd(m, s2, c2);
            m = TLanes.Create(Unsafe.Add(ref dRef, d3 + (nuint)j));
            e0 = TLanes.NegatedMultiplyAdd(m, s0, e0);
            e1 = TLanes.NegatedMultiplyAdd(m, s1, e1);
            e2 = TLanes.NegatedMultiplyAdd(m, s2, e2);
        }

        // The triangle: row i + 1 takes row i; row i + 2 rows i, i + 1; row i + 3 rows i .. i + 2 (ascending).
        TLanes t = TLanes.Create(Unsafe.Add(ref dRef, d1 + (nuint)i));
        b0 = TLanes.NegatedMultiplyAdd(t, a0, b0);
        b1 = TLanes.NegatedMultiplyAdd(t, a1, b1);
        b2 = TLanes.NegatedMultiplyAdd(t, a2, b2);
        t = TLanes.Create(Unsafe.Add(ref dRef, d2 + (nuint)i));
        c0 = TLanes.NegatedMultiplyAdd(t, a0, c0);
        c1 = TLanes.NegatedMultiplyAdd(t, a1, c1);
        c2 = TLanes.NegatedMultiplyAdd(t, a2, c2);
        t = TLanes.Create(Unsafe.Add(ref dRef, d2 + (nuint)i + 1));
        c0 = TLanes.NegatedMultiplyAdd(t, b0, c0);
        c1 = TLanes.NegatedMultiplyAdd(t, b1, c1);
        c2 = TLanes.NegatedMultiplyAdd(t, b2, c2);
        t = TLanes.Create(Unsafe.Add(ref dRef, d3 + (nuint)i));
        e0 = TLanes.NegatedMultiplyAdd(t, a0, e0);
        e1 = TLanes.NegatedMultiplyAdd(t, a1, e1);
        e2 = TLanes.NegatedMultiplyAdd(t, a2, e2);
        t = TLanes.Create(Unsafe.Add(ref dRef, d3 + (nuint)i + 1));
        e0 = TLanes.NegatedMultiplyAdd(t, b0, e0);
        e1 = TLanes.NegatedMultiplyAdd(t, b1, e1);
        e2 = TLanes.NegatedMultiplyAdd(t, b2, e2);
        t = TLanes.Create(Unsafe.Add(ref dRef, d3 + (nuint)i + 2));
        e0 = TLanes.NegatedMultiplyAdd(t, c0, e0);
        e1 = TLanes.NegatedMultiplyAdd(t, c1, e1);
        e2 = TLanes.NegatedMultiplyAdd(t, c2, e2);

        a0.Store(ref yRef, row0);
        a1.Store(ref yRef, row0 + (nuint)w);
        a2.Store(ref yRef, row0 + (nuint)(2 * w));
        b0.Store(ref yRef, row1);
        b1.Store(ref yRef, row1 + (nuint)w);
        b2.Store(ref yRef, row1 + (nuint)(2 * w));
        c0.Store(ref yRef, row2);
        c1.Store(ref yRef, row2 + (nuint)w);
        c2.Store(ref yRef, row2 + (nuint)(2 * w));
        e0.Store(ref yRef, row3);
        e1.Store(ref yRef, row3 + (nuint)w);
        e2.Store(ref yRef, row3 + (nuint)(2 * w));
    }

    private static void SolveOneRow<TLanes>(double[] lower, int n, double[] y, int stride, int i, int column)
        where TLanes : struct, ILanes<TLanes>
    {
        int w = TLanes.Count;
        ref double yRef = ref MemoryMarshal.GetArrayDataReference(y);
        nuint row = ((nuint)i * (nuint)stride) + (nuint)column;
        TLanes a0 = TLanes.Load(ref yRef, row), a1 = TLanes.Load(ref yRef, row + (nuint)w), a2 = TLanes.Load(ref yRef, row + (nuint)(2 * w));
        nuint source = (nuint)column;
        for (int j = 0; j < i; j++, source += (nuint)stride)
        {
            TLanes m = TLanes.Create(lower[((long)i * n) + j]);
            a0 = TLanes.NegatedMultiplyAdd(m, TLanes.Load(ref yRef, source), a0);
            a1 = TLanes.NegatedMultiplyAdd(m, TLanes.Load(ref yRef, source + (nuint)w), a1);
            a2 = TLanes.NegatedMultiplyAdd(m, TLanes.Load(ref yRef, source + (nuint)(2 * w)), a2);
        }

        a0.Store(ref yRef, row);
        a1.Store(ref yRef, row + (nuint)w);
        a2.Store(ref yRef, row + (nuint)(2 * w));
    }

    private static double[] RowQuadraticForms<TLanes>(double[] a, int rows, double[] s, int n, int[] limits)
        where TLanes : struct, ILanes<TLanes>
    {
        int tileWidth = 3 * TLanes.Count;
        int padded = PaddedWidth(n);
        var forms = new double[rows];
        int rowTiles = (rows + TileRows - 1) / TileRows;
        Parallel.For(0, rowTiles, () => new double[TileRows * padded], (tile, _, products) =>
        {
            int first = tile * TileRows;
            int count = Math.Min(TileRows, rows - first);
            int limit = limits[first + count - 1];

            // products[r][j] = sum_{i < limit} a_ri S_ij for the tile's rows, j < limit, a column tile at a time.
            for (int column = 0; column < limit; column += tileWidth)
            {
                ProductTile<TLanes>(a, n, first, count, s, padded, column, limit, products);
            }

            for (int r = 0; r < count; r++)
            {
                int row = first + r;
                forms[row] = SpanMath.Dot(products.AsSpan(r * padded, limits[row]), a.AsSpan(row * n, limits[row]));
            }

            return products;
        },
        _ => { });

        return forms;
    }

    // products[r][column .. column + tile) = sum_{i < inner} a_(first + r) i S_i (the padded rows of S), for up to four
    // rows (missing rows of a tile take zero coefficients and are not stored).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ProductTile<TLanes>(double[] a, int n, int first, int count, double[] s, int stride, int column, int inner, double[] products)
        where TLanes : struct, ILanes<TLanes>
    {
        int w = TLanes.Count;
        ref double sRef = ref MemoryMarshal.GetArrayDataReference(s);
        ref double aRef = ref MemoryMarshal.GetArrayDataReference(a);
        TLanes a0 = TLanes.Zero, a1 = TLanes.Zero, a2 = TLanes.Zero;
        TLanes b0 = TLanes.Zero, b1 = TLanes.Zero, b2 = TLanes.Zero;
        TLanes c0 = TLanes.Zero, c1 = TLanes.Zero, c2 = TLanes.Zero;
        TLanes e0 = TLanes.Zero, e1 = TLanes.Zero, e2 = TLanes.Zero;
        nuint r0 = (nuint)first * (nuint)n;
        nuint r1 = count > 1 ? r0 + (nuint)n : r0, r2 = count > 2 ? r0 + (2 * (nuint)n) : r0, r3 = count > 3 ? r0 + (3 * (nuint)n) : r0;
        nuint source = (nuint)column;
        for (int i = 0; i < inner; i++, source += (nuint)stride)
        {
            TLanes s0 = TLanes.Load(ref sRef, source), s1 = TLanes.Load(ref sRef, source + (nuint)w), s2 = TLanes.Load(ref sRef, source + (nuint)(2 * w));
            TLanes m = TLanes.Create(Unsafe.Add(ref aRef, r0 + (nuint)i));
            a0 = TLanes.FusedMultiplyAdd(m, s0, a0);
            a1 = TLanes.FusedMultiplyAdd(m, s1, a1);
            a2 = TLanes.FusedMultiplyAdd(m, s2, a2);
            m = TLanes.Create(Unsafe.Add(ref aRef, r1 + (nuint)i));
            b0 = TLanes.FusedMultiplyAdd(m, s0, b0);
            b1 = TLanes.FusedMultiplyAdd(m, s1, b1);
            b2 = TLanes.FusedMultiplyAdd(m, s2, b2);
            m = TLanes.Create(Unsafe.Add(ref aRef, r2 + (nuint)i));
            c0 = TLanes.FusedMultiplyAdd(m, s0, c0);
            c1 = TLanes.FusedMultiplyAdd(m, s1, c1);
            c2 = TLanes.FusedMultiplyAdd(m, s2, c2);
            m = TLanes.Create(Unsafe.Add(ref aRef, r3 + (nuint)i));
            e0 = TLanes.FusedMultiplyAdd(m, s0, e0);
            e1 = TLanes.FusedMultiplyAdd(m, s1, e1);
            e2 = TLanes.FusedMultiplyAdd(m, s2, e2);
        }

        ref double pRef = ref MemoryMarshal.GetArrayDataReference(products);
        int stridePadded = products.Length / TileRows;
        nuint p = (nuint)column;
        a0.Store(ref pRef, p);
        a1.Store(ref pRef, p + (nuint)w);
        a2.Store(ref pRef, p + (nuint)(2 * w));
        p += (nuint)stridePadded;
        b0.Store(ref pRef, p);
        b1.Store(ref pRef, p + (nuint)w);
        b2.Store(ref pRef, p + (nuint)(2 * w));
        p += (nuint)stridePadded;
        c0.Store(ref pRef, p);
        c1.Store(ref pRef, p + (nuint)w);
        c2.Store(ref pRef, p + (nuint)(2 * w));
        p += (nuint)stridePadded;
        e0.Store(ref pRef, p);
        e1.Store(ref pRef, p + (nuint)w);
        e2.Store(ref pRef, p + (nuint)(2 * w));
    }
}
