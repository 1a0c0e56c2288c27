using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Accumulates the site sums &lt;O_r O_f,j&gt; = sum_s weight_s O_r(s) O_f,j(s) (DESIGN.md 4.2's kappa) a chunk of
/// <see cref="ChunkSites"/> sites at a time: the chunk's weighted observables and order parameters are buffered, then
/// added into the R x C sums as one register-blocked product, so the large sums are touched once per chunk instead of
/// once per site. Sites are added in a fixed order, so the sums do not depend on the thread count. With per-row column
/// limits (the factored sensitivities of <see cref="SiteBlock{TLanes}"/>, causal: row r only has columns below its
/// limit) only those columns are computed and written.
/// </summary>
internal sealed class CrossProducts<TLanes>
    where TLanes : struct, ILanes<TLanes>
{
    /// <summary>Sites per chunk.</summary>
    public const int ChunkSites = 64;

    private readonly int _rows;
    private readonly int _columns;

    /// <summary>weight_s O_r(s), [r][s].</summary>
    private readonly double[] _weighted;

    /// <summary>O_f,j(s), [s][j].</summary>
    private readonly double[] _orderParameters;
    /// <summary>Columns [0, limit) of each row are summed; null: all.</summary>
    private readonly int[]? _rowLimits;
    private int _sites;

    public CrossProducts(int rows, int columns, int[]? rowLimits = null)
    {
        _rows = rows;
        _columns = columns;
        _rowLimits = rowLimits;
        _weighted = new double[(long)rows * ChunkSites];
        _orderParameters = new double[(long)ChunkSites * columns];
    }

    /// <summary>Whether this buffer is for R = <paramref name="rows"/> and C = <paramref name="columns"/> (and so reusable).</summary>
    public bool Fits(int rows, int columns) => rows == _rows && columns == _columns;

    /// <summary>As <see cref="Fits(int, int)"/>, with the same row limits (compared by reference).</summary>
    public bool Fits(int rows, int columns, int[]? rowLimits) => Fits(rows, columns) && ReferenceEquals(rowLimits, _rowLimits);

    /// <summary>
    /// Buffers <c>TLanes.Count</c> sites: their weighted observables [r] (a vector of lanes per row) and their order
    /// parameters, lane-major [lane][j]; flushes into <paramref name="cross"/> when the chunk is full.
    /// </summary>
    public void Add(ReadOnlySpan<TLanes> weightedObservables, ReadOnlySpan<double> orderParameters, double[] cross)
    {
        int lanes = TLanes.Count;
        if (_sites + lanes > ChunkSites)
        {
            Flush(cross);
        }

        ReadOnlySpan<double> weighted = MemoryMarshal.Cast<TLanes, double>(weightedObservables);
        for (int r = 0; r < _rows; r++)
        {
            weighted.Slice(r * lanes, lanes).CopyTo(_weighted.AsSpan((r * ChunkSites) + _sites, lanes));
        }

        orderParameters.CopyTo(_orderParameters.AsSpan(_sites * _columns, lanes * _columns));
        _sites += lanes;
    }

    /// <summary>
    /// Adds the buffered sites into <paramref name="cross"/> (R x C, row-major) and empties the chunk: tiles of four rows
    /// by three vectors of columns with the twelve sums in registers (each loaded column vector serves four rows, each
    /// broadcast weight three vectors), column tiles outermost so that a tile's order parameters stay in the L1 cache
    /// while every row passes; the columns past the last tile one row at a time. Every entry adds its sites in chunk
    /// order with fused multiply-adds, whichever loop computes it, so the sums do not depend on the tiling.
    /// </summary>
    public void Flush(double[] cross)
    {
        int lanes = TLanes.Count;
        int width = 3 * lanes;
        int columns = _columns;
        int tiled = columns - (columns % width);
        for (int start = 0; start < tiled; start += width)
        {
            int row = FirstRowReaching(start);
            for (; row + 4 <= _rows; row += 4)
            {
                FourRowTile(cross, row, start);
            }

            for (; row < _rows; row++)
            {
                OneRowTile(cross, row, start);
            }
        }

        for (int row = FirstRowReaching(tiled); row < _rows && tiled < columns; row++)
        {
            RowTail(cross, row, tiled);
        }

        _sites = 0;
    }

    // The first row with columns at or after `column` (row limits are non-decreasing: rows are time-major).
    private int FirstRowReaching(int column)
    {
        if (_rowLimits is null)
        {
            return 0;
        }

        int row = 0;
        while (row < _rows && _rowLimits[row] <= column)
        {
            row++;
        }

        return row;
    }

    private void FourRowTile(double[] cross, int row, int start)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        int sites = _sites;
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        ref double target = ref MemoryMarshal.GetArrayDataReference(cross);
        ref double weights = ref MemoryMarshal.GetArrayDataReference(_weighted);
        nuint r0 = (nuint)row * (nuint)columns + (nuint)start;
        nuint r1 = r0 + (nuint)columns;
        nuint r2 = r1 + (nuint)columns;
        nuint r3 = r2 + (nuint)columns;
        nuint v1 = (nuint)lanes;
        nuint v2 = (nuint)(2 * lanes);
        TLanes s00 = TLanes.Load(ref target, r0), s01 = TLanes.Load(ref target, r0 + v1), s02 = TLanes.Load(ref target, r0 + v2);
        TLanes s10 = TLanes.Load(ref target, r1), s11 = TLanes.Load(ref target, r1 + v1), s12 = TLanes.Load(ref target, r1 + v2);
        TLanes s20 = TLanes.Load(ref target, r2), s21 = TLanes.Load(ref target, r2 + v1), s22 = TLanes.Load(ref target, r2 + v2);
        TLanes s30 = TLanes.Load(ref target, r3), s31 = TLanes.Load(ref target, r3 + v1), s32 = TLanes.Load(ref target, r3 + v2);
        nuint w0 = (nuint)row * ChunkSites;
        for (int s = 0; s < sites; s++)
        {
            nuint at = ((nuint)s * (nuint)columns) + (nuint)start;
            TLanes o0 = TLanes.Load(ref orders, at);
            TLanes o1 = TLanes.Load(ref orders, at + v1);
            TLanes o2 = TLanes.Load(ref orders, at + v2);
            nuint w = w0 + (nuint)s;
            TLanes a = TLanes.Create(Unsafe.Add(ref weights, w));
            s00 = TLanes.FusedMultiplyAdd(a, o0, s00);
            s01 = TLanes.FusedMultiplyAdd(a, o1, s01);
            s02 = TLanes.FusedMultiplyAdd(a, o2, s02);
            a = TLanes.Create(Unsafe.Add(ref weights, w + ChunkSites));
            s10 = TLanes.FusedMultiplyAdd(a, o0, s10);
            s11 = TLanes.FusedMultiplyAdd(a, o1, s11);
            s12 = TLanes.FusedMultiplyAdd(a, o2, s12);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (2 * ChunkSites)));
            s20 = TLanes.FusedMultiplyAdd(a, o0, s20);
            s21 = TLanes.FusedMultiplyAdd(a, o1, s21);
            s22 = TLanes.FusedMultiplyAdd(a, o2, s22);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (3 * ChunkSites)));
            s30 = TLanes.FusedMultiplyAdd(a, o0, s30);
            s31 = TLanes.FusedMultiplyAdd(a, o1, s31);
            s32 = TLanes.FusedMultiplyAdd(a, o2, s32);
        }

        StoreTile(cross, row, start, s00, s01, s02);
        StoreTile(cross, row + 1, start, s10, s11, s12);
        StoreTile(cross, row + 2, start, s20, s21, s22);
        StoreTile(cross, row + 3, start, s30, s31, s32);
    }

    private void OneRowTile(double[] cross, int row, int start)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        ref double target = ref MemoryMarshal.GetArrayDataReference(cross);
        nuint r0 = (nuint)row * (nuint)columns + (nuint)start;
        nuint v1 = (nuint)lanes;
        nuint v2 = (nuint)(2 * lanes);
        TLanes s0 = TLanes.Load(ref target, r0), s1 = TLanes.Load(ref target, r0 + v1), s2 = TLanes.Load(ref target, r0 + v2);
        ReadOnlySpan<double> weighted = _weighted.AsSpan(row * ChunkSites, _sites);
        for (int s = 0; s < weighted.Length; s++)
        {
            nuint at = ((nuint)s * (nuint)columns) + (nuint)start;
            TLanes a = TLanes.Create(weighted[s]);
            s0 = TLanes.FusedMultiplyAdd(a, TLanes.Load(ref orders, at), s0);
            s1 = TLanes.FusedMultiplyAdd(a, TLanes.Load(ref orders, at + v1), s1);
            s2 = TLanes.FusedMultiplyAdd(a, TLanes.Load(ref orders, at + v2), s2);
        }

        StoreTile(cross, row, start, s0, s1, s2);
    }

    // Stores three vectors of sums at row, columns [start, start + 3 Count), only below the row's limit.
    private void StoreTile(double[] cross, int row, int start, TLanes first, TLanes second, TLanes third)
    {
        int lanes = TLanes.Count;
        int limit = _rowLimits?[row] ?? _columns;
        ref double target = ref MemoryMarshal.GetArrayDataReference(cross);
        nuint at = ((nuint)row * (nuint)_columns) + (nuint)start;
        if (limit >= start + (3 * lanes))
        {
            first.Store(ref target, at);
            second.Store(ref target, at + (nuint)lanes);
            third.Store(ref target, at + (nuint)(2 * lanes));
            return;
        }

        int count = limit - start;
        for (int k = 0; k < count; k++)
        {
            TLanes vector = k < lanes ? first : k < 2 * lanes ? second : third;
            cross[(long)row * _columns + start + k] = vector[k % lanes];
        }
    }

    // The columns [from, limit) of one row, one vector of columns at a time, then one column at a time.
    private void RowTail(double[] cross, int row, int from)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        int limit = _rowLimits?[row] ?? columns;
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        ReadOnlySpan<double> weighted = _weighted.AsSpan(row * ChunkSites, _sites);
        Span<double> target = cross.AsSpan(row * columns, columns);
        int j = from;
        for (; j + lanes <= limit; j += lanes)
        {
            TLanes sum = TLanes.Load(ref MemoryMarshal.GetReference(target), (nuint)j);
            for (int s = 0; s < weighted.Length; s++)
            {
                sum = TLanes.FusedMultiplyAdd(TLanes.Create(weighted[s]), TLanes.Load(ref orders, ((nuint)s * (nuint)columns) + (nuint)j), sum);
            }

            sum.Store(ref MemoryMarshal.GetReference(target), (nuint)j);
        }

        for (; j < limit; j++)
        {
            double sum = target[j];
            for (int s = 0; s < weighted.Length; s++)
            {
                sum = Math.FusedMultiplyAdd(weighted[s], _orderParameters[(s * columns) + j], sum);
            }

            target[j] = sum;
        }
    }
}
