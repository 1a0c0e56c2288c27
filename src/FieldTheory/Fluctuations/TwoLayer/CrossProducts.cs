using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Accumulates site sums sum_k L_r(k) R_j(k) into an R x C matrix a chunk of inner entries k at a time: kappa's
/// &lt;O_r O_f,j&gt; (L = weight O_r, R = O_f, k over sites; DESIGN.md 4.2) and the factored sensitivities of
/// <see cref="SiteBlock{TLanes}"/> (L = alpha, R = beta, k over sites and state components). The chunk's entries are
/// buffered, then added into the large sums as one register-blocked product, so those are touched once per chunk
/// instead of once per site. Entries are added in inner order, so the sums do not depend on the thread count. With
/// per-row column limits (non-decreasing: rows are time-major) only the columns [0, limit) of each row are computed and
/// written. Two ways to fill a chunk: <see cref="Add"/> appends and flushes by itself (one worker);
/// <see cref="Put"/> writes a given slot, or <see cref="LeftFactors"/> and <see cref="RightFactors"/> hand it out to be
/// written in place (workers filling disjoint slots in parallel), and <see cref="AddProducts"/> adds the rows of a
/// range, so that workers can split the product by rows.
/// </summary>
internal sealed class CrossProducts<TLanes>
    where TLanes : struct, ILanes<TLanes>
{
    /// <summary>Inner entries per chunk of <see cref="Add"/>.</summary>
    public const int ChunkSites = 64;

    /// <summary>Inner entries per pass of a column tile: its right factors, 128 x 3 vectors, stay in the L1 cache.</summary>
    private const int PanelEntries = 128;

    private readonly int _rows;
    private readonly int _columns;
    private readonly int _capacity;

    /// <summary>
    /// L_r(k) in blocks of <c>TLanes.Count</c> inner entries, [k / V][r][k % V] (<see cref="LeftOffset"/>): a slot's
    /// factors of all rows are one contiguous copy, where a row-major [r][k] layout scattered them over R cache lines.
    /// </summary>
    private readonly double[] _weighted;

    /// <summary>R_j(k), [k][j].</summary>
    private readonly double[] _orderParameters;

    /// <summary>Columns [0, limit) of each row are summed; null: all.</summary>
    private readonly int[]? _rowLimits;
    private int _sites;

    public CrossProducts(int rows, int columns, int[]? rowLimits = null, int capacity = ChunkSites)
    {
        _rows = rows;
        _columns = columns;
        _rowLimits = rowLimits;
        _capacity = capacity;
        _weighted = new double[(long)rows * capacity];
        _orderParameters = new double[(long)capacity * columns];
    }

    /// <summary>Inner entries a chunk holds.</summary>
    public int Capacity => _capacity;

    /// <summary>Whether this buffer is for R = <paramref name="rows"/> and C = <paramref name="columns"/> (and so reusable).</summary>
    public bool Fits(int rows, int columns) => rows == _rows && columns == _columns;

    /// <summary>As <see cref="Fits(int, int)"/>, with the same row limits (compared by reference) and capacity.</summary>
    public bool Fits(int rows, int columns, int[]? rowLimits, int capacity = ChunkSites) =>
        Fits(rows, columns) && ReferenceEquals(rowLimits, _rowLimits) && capacity == _capacity;

    /// <summary>
    /// Buffers <c>TLanes.Count</c> inner entries: their left factors [r] (a vector of lanes per row) and their right
    /// factors, lane-major [lane][j]; flushes into <paramref name="cross"/> when the chunk is full.
    /// </summary>
    public void Add(ReadOnlySpan<TLanes> weightedObservables, ReadOnlySpan<double> orderParameters, double[] cross)
    {
        if (_sites + TLanes.Count > _capacity)
        {
            Flush(cross);
        }

        Put(_sites, weightedObservables, orderParameters);
        _sites += TLanes.Count;
    }

    /// <summary>Writes <c>TLanes.Count</c> inner entries at [slot, slot + Count), as <see cref="Add"/> lays them out.</summary>
    public void Put(int slot, ReadOnlySpan<TLanes> left, ReadOnlySpan<double> right)
    {
        left[.._rows].CopyTo(LeftFactors(slot));
        right[..(TLanes.Count * _columns)].CopyTo(RightFactors(slot));
    }

    /// <summary>
    /// The left factors of the inner entries [slot, slot + <paramref name="vectors"/> Count), to be written in place:
    /// <paramref name="vectors"/> x R lane vectors, [vector][r].
    /// </summary>
    public Span<TLanes> LeftFactors(int slot, int vectors = 1)
    {
        CheckSlots(slot, vectors);
        return MemoryMarshal.Cast<double, TLanes>(_weighted.AsSpan((int)LeftOffset(0, slot), vectors * _rows * TLanes.Count));
    }

    /// <summary>The right factors of the same entries, lane-major: <paramref name="vectors"/> Count x C, [entry][j].</summary>
    public Span<double> RightFactors(int slot, int vectors = 1)
    {
        CheckSlots(slot, vectors);
        return _orderParameters.AsSpan(slot * _columns, vectors * TLanes.Count * _columns);
    }

    private void CheckSlots(int slot, int vectors)
    {
        if (slot < 0 || vectors < 1 || slot + (vectors * TLanes.Count) > _capacity || slot % TLanes.Count != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"a chunk holds {_capacity} entries of {_rows} rows, {TLanes.Count} at a time; {vectors} vectors asked");
        }
    }

    /// <summary>Adds the buffered entries into <paramref name="cross"/> (R x C, row-major) and empties the chunk.</summary>
    public void Flush(double[] cross)
    {
        AddProducts(cross, _sites, 0, _rows);
        _sites = 0;
    }

    /// <summary>
    /// Adds the products of the first <paramref name="inner"/> entries into the rows [<paramref name="rowFrom"/>,
    /// <paramref name="rowTo"/>) of <paramref name="cross"/>: tiles of eight rows (then four, then one) by three vectors
    /// of columns with the sums in registers (each loaded column vector serves eight rows, each broadcast entry three
    /// vectors), column tiles outermost and the inner entries in panels of <see cref="PanelEntries"/>, so that a panel's
    /// right factors stay in the L1 cache while the rows pass; the columns past the last tile one row at a time. Every
    /// entry adds its inner terms in order with fused multiply-adds, whichever loop computes it, so the sums do not
    /// depend on the tiling or on how the rows are split.
    /// </summary>
    public void AddProducts(double[] cross, int inner, int rowFrom, int rowTo)
    {
        int width = 3 * TLanes.Count;
        int columns = _columns;
        int tiled = columns - (columns % width);
        for (int start = 0; start < tiled; start += width)
        {
            int first = Math.Max(rowFrom, FirstRowReaching(start));
            for (int from = 0; from < inner; from += PanelEntries)
            {
                int to = Math.Min(inner, from + PanelEntries);
                int row = first;
                for (; row + 8 <= rowTo; row += 8)
                {
                    EightRowTile(cross, from, to, row, start);
                }

                for (; row + 4 <= rowTo; row += 4)
                {
                    FourRowTile(cross, from, to, row, start);
                }

                for (; row < rowTo; row++)
                {
                    OneRowTile(cross, from, to, row, start);
                }
            }
        }

        for (int row = Math.Max(rowFrom, FirstRowReaching(tiled)); row < rowTo && tiled < columns; row++)
        {
            RowTail(cross, inner, row, tiled);
        }
    }

    // Where L_row(s) is in _weighted: block s / V, then the row's V lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private nuint LeftOffset(int row, int s) =>
        ((nuint)((uint)s / (uint)TLanes.Count) * (nuint)_rows * (nuint)TLanes.Count) + ((nuint)row * (nuint)TLanes.Count) + (nuint)((uint)s % (uint)TLanes.Count);

    // The first row with columns at or after `column`: binary search, the row limits being non-decreasing (rows are
    // time-major).
    private int FirstRowReaching(int column)
    {
        if (_rowLimits is null)
        {
            return 0;
        }

        int low = 0, high = _rows;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (_rowLimits[middle] <= column)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private void EightRowTile(double[] cross, int from, int to, int row, int start)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        nuint nextRow = (nuint)TLanes.Count; // the block layout: a row's factor is Count doubles after the previous row's
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        ref double target = ref MemoryMarshal.GetArrayDataReference(cross);
        ref double weights = ref MemoryMarshal.GetArrayDataReference(_weighted);
        nuint v1 = (nuint)lanes;
        nuint v2 = (nuint)(2 * lanes);
        nuint r0 = ((nuint)(row + 0) * (nuint)columns) + (nuint)start;
        TLanes s00 = TLanes.Load(ref target, r0), s01 = TLanes.Load(ref target, r0 + v1), s02 = TLanes.Load(ref target, r0 + v2);
        nuint r1 = ((nuint)(row + 1) * (nuint)columns) + (nuint)start;
        TLanes s10 = TLanes.Load(ref target, r1), s11 = TLanes.Load(ref target, r1 + v1), s12 = TLanes.Load(ref target, r1 + v2);
        nuint r2 = ((nuint)(row + 2) * (nuint)columns) + (nuint)start;
        TLanes s20 = TLanes.Load(ref target, r2), s21 = TLanes.Load(ref target, r2 + v1), s22 = TLanes.Load(ref target, r2 + v2);
        nuint r3 = ((nuint)(row + 3) * (nuint)columns) + (nuint)start;
        TLanes s30 = TLanes.Load(ref target, r3), s31 = TLanes.Load(ref target, r3 + v1), s32 = TLanes.Load(ref target, r3 + v2);
        nuint r4 = ((nuint)(row + 4) * (nuint)columns) + (nuint)start;
        TLanes s40 = TLanes.Load(ref target, r4), s41 = TLanes.Load(ref target, r4 + v1), s42 = TLanes.Load(ref target, r4 + v2);
        nuint r5 = ((nuint)(row + 5) * (nuint)columns) + (nuint)start;
        TLanes s50 = TLanes.Load(ref target, r5), s51 = TLanes.Load(ref target, r5 + v1), s52 = TLanes.Load(ref target, r5 + v2);
        nuint r6 = ((nuint)(row + 6) * (nuint)columns) + (nuint)start;
        TLanes s60 = TLanes.Load(ref target, r6), s61 = TLanes.Load(ref target, r6 + v1), s62 = TLanes.Load(ref target, r6 + v2);
        nuint r7 = ((nuint)(row + 7) * (nuint)columns) + (nuint)start;
        TLanes s70 = TLanes.Load(ref target, r7), s71 = TLanes.Load(ref target, r7 + v1), s72 = TLanes.Load(ref target, r7 + v2);
        for (int s = from; s < to; s++)
        {
            nuint at = ((nuint)s * (nuint)columns) + (nuint)start;
            TLanes o0 = TLanes.Load(ref orders, at);
            TLanes o1 = TLanes.Load(ref orders, at + v1);
            TLanes o2 = TLanes.Load(ref orders, at + v2);
            nuint w = LeftOffset(row, s);
            TLanes a;
            a = TLanes.Create(Unsafe.Add(ref weights, w + (0 * nextRow)));
            s00 = TLanes.FusedMultiplyAdd(a, o0, s00);
            s01 = TLanes.FusedMultiplyAdd(a, o1, s01);
            s02 = TLanes.FusedMultiplyAdd(a, o2, s02);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (1 * nextRow)));
            s10 = TLanes.FusedMultiplyAdd(a, o0, s10);
            s11 = TLanes.FusedMultiplyAdd(a, o1, s11);
            s12 = TLanes.FusedMultiplyAdd(a, o2, s12);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (2 * nextRow)));
            s20 = TLanes.FusedMultiplyAdd(a, o0, s20);
            s21 = TLanes.FusedMultiplyAdd(a, o1, s21);
            s22 = TLanes.FusedMultiplyAdd(a, o2, s22);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (3 * nextRow)));
            s30 = TLanes.FusedMultiplyAdd(a, o0, s30);
            s31 = TLanes.FusedMultiplyAdd(a, o1, s31);
            s32 = TLanes.FusedMultiplyAdd(a, o2, s32);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (4 * nextRow)));
            s40 = TLanes.FusedMultiplyAdd(a, o0, s40);
            s41 = TLanes.FusedMultiplyAdd(a, o1, s41);
            s42 = TLanes.FusedMultiplyAdd(a, o2, s42);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (5 * nextRow)));
            s50 = TLanes.FusedMultiplyAdd(a, o0, s50);
            s51 = TLanes.FusedMultiplyAdd(a, o1, s51);
            s52 = TLanes.FusedMultiplyAdd(a, o2, s52);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (6 * nextRow)));
            s60 = TLanes.FusedMultiplyAdd(a, o0, s60);
            s61 = TLanes.FusedMultiplyAdd(a, o1, s61);
            s62 = TLanes.FusedMultiplyAdd(a, o2, s62);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (7 * nextRow)));
            s70 = TLanes.FusedMultiplyAdd(a, o0, s70);
            s71 = TLanes.FusedMultiplyAdd(a, o1, s71);
            s72 = TLanes.FusedMultiplyAdd(a, o2, s72);
        }

        StoreTile(cross, row + 0, start, s00, s01, s02);
        StoreTile(cross, row + 1, start, s10, s11, s12);
        StoreTile(cross, row + 2, start, s20, s21, s22);
        StoreTile(cross, row + 3, start, s30, s31, s32);
        StoreTile(cross, row + 4, start, s40, s41, s42);
        StoreTile(cross, row + 5, start, s50, s51, s52);
        StoreTile(cross, row + 6, start, s60, s61, s62);
        StoreTile(cross, row + 7, start, s70, s71, s72);
    }

    private void FourRowTile(double[] cross, int from, int to, int row, int start)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        nuint nextRow = (nuint)TLanes.Count; // the block layout: a row's factor is Count doubles after the previous row's
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
        for (int s = from; s < to; s++)
        {
            nuint at = ((nuint)s * (nuint)columns) + (nuint)start;
            TLanes o0 = TLanes.Load(ref orders, at);
            TLanes o1 = TLanes.Load(ref orders, at + v1);
            TLanes o2 = TLanes.Load(ref orders, at + v2);
            nuint w = LeftOffset(row, s);
            TLanes a = TLanes.Create(Unsafe.Add(ref weights, w));
            s00 = TLanes.FusedMultiplyAdd(o0, a, s00);
            s01 = TLanes.FusedMultiplyAdd(o1, a, s01);
            s02 = TLanes.FusedMultiplyAdd(o2, a, s02);
            a = TLanes.Create(Unsafe.Add(ref weights, w + nextRow));
            s10 = TLanes.FusedMultiplyAdd(o0, a, s10);
            s11 = TLanes.FusedMultiplyAdd(o1, a, s11);
            s12 = TLanes.FusedMultiplyAdd(o2, a, s12);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (2 * nextRow)));
            s20 = TLanes.FusedMultiplyAdd(o0, a, s20);
            s21 = TLanes.FusedMultiplyAdd(o1, a, s21);
            s22 = TLanes.FusedMultiplyAdd(o2, a, s22);
            a = TLanes.Create(Unsafe.Add(ref weights, w + (3 * nextRow)));
            s30 = TLanes.FusedMultiplyAdd(o0, a, s30);
            s31 = TLanes.FusedMultiplyAdd(o1, a, s31);
            s32 = TLanes.FusedMultiplyAdd(o2, a, s32);
        }

        StoreTile(cross, row, start, s00, s01, s02);
        StoreTile(cross, row + 1, start, s10, s11, s12);
        StoreTile(cross, row + 2, start, s20, s21, s22);
        StoreTile(cross, row + 3, start, s30, s31, s32);
    }

    private void OneRowTile(double[] cross, int from, int to, int row, int start)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        ref double target = ref MemoryMarshal.GetArrayDataReference(cross);
        nuint r0 = (nuint)row * (nuint)columns + (nuint)start;
        nuint v1 = (nuint)lanes;
        nuint v2 = (nuint)(2 * lanes);
        TLanes s0 = TLanes.Load(ref target, r0), s1 = TLanes.Load(ref target, r0 + v1), s2 = TLanes.Load(ref target, r0 + v2);
        for (int s = from; s < to; s++)
        {
            nuint at = ((nuint)s * (nuint)columns) + (nuint)start;
            TLanes a = TLanes.Create(_weighted[LeftOffset(row, s)]);
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
    private void RowTail(double[] cross, int inner, int row, int from)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        int limit = _rowLimits?[row] ?? columns;
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        Span<double> target = cross.AsSpan(row * columns, columns);
        int j = from;
        for (; j + lanes <= limit; j += lanes)
        {
            TLanes sum = TLanes.Load(ref MemoryMarshal.GetReference(target), (nuint)j);
            for (int s = 0; s < inner; s++)
            {
                sum = TLanes.FusedMultiplyAdd(TLanes.Create(_weighted[LeftOffset(row, s)]), TLanes.Load(ref orders, ((nuint)s * (nuint)columns) + (nuint)j), sum);
            }

            sum.Store(ref MemoryMarshal.GetReference(target), (nuint)j);
        }

        for (; j < limit; j++)
        {
            double sum = target[j];
            for (int s = 0; s < inner; s++)
            {
                sum = Math.FusedMultiplyAdd(_weighted[LeftOffset(row, s)], _orderParameters[(s * columns) + j], sum);
            }

            target[j] = sum;
        }
    }
}
