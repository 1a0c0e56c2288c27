using System.Runtime.InteropServices;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Accumulates the site sums &lt;O_r O_f,j&gt; = sum_s weight_s O_r(s) O_f,j(s) (DESIGN.md 4.2's kappa) a chunk of
/// <see cref="ChunkSites"/> sites at a time: the chunk's weighted observables and order parameters are buffered, then
/// added into the R x C sums as one register-blocked product, so the large sums are touched once per chunk instead of
/// once per site. Sites are added in a fixed order, so the sums do not depend on the thread count.
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
    private int _sites;

    public CrossProducts(int rows, int columns)
    {
        _rows = rows;
        _columns = columns;
        _weighted = new double[(long)rows * ChunkSites];
        _orderParameters = new double[(long)ChunkSites * columns];
    }

    /// <summary>Whether this buffer is for R = <paramref name="rows"/> and C = <paramref name="columns"/> (and so reusable).</summary>
    public bool Fits(int rows, int columns) => rows == _rows && columns == _columns;

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

    /// <summary>Adds the buffered sites into <paramref name="cross"/> (R x C, row-major) and empties the chunk.</summary>
    public void Flush(double[] cross)
    {
        int lanes = TLanes.Count;
        int columns = _columns;
        int sites = _sites;
        int tiles = columns / (4 * lanes);
        ref double orders = ref MemoryMarshal.GetArrayDataReference(_orderParameters);
        for (int r = 0; r < _rows; r++)
        {
            ReadOnlySpan<double> weighted = _weighted.AsSpan(r * ChunkSites, sites);
            Span<double> row = cross.AsSpan(r * columns, columns);
            Span<TLanes> vectors = MemoryMarshal.Cast<double, TLanes>(row);

            // Four vectors of columns per pass, the site sum in registers.
            for (int tile = 0; tile < tiles; tile++)
            {
                int v = 4 * tile;
                TLanes s0 = vectors[v];
                TLanes s1 = vectors[v + 1];
                TLanes s2 = vectors[v + 2];
                TLanes s3 = vectors[v + 3];
                nuint offset = (nuint)(v * lanes);
                for (int s = 0; s < sites; s++)
                {
                    TLanes o = TLanes.Create(weighted[s]);
                    nuint at = (nuint)(s * columns) + offset;
                    s0 = TLanes.FusedMultiplyAdd(o, TLanes.Load(ref orders, at), s0);
                    s1 = TLanes.FusedMultiplyAdd(o, TLanes.Load(ref orders, at + (nuint)lanes), s1);
                    s2 = TLanes.FusedMultiplyAdd(o, TLanes.Load(ref orders, at + (nuint)(2 * lanes)), s2);
                    s3 = TLanes.FusedMultiplyAdd(o, TLanes.Load(ref orders, at + (nuint)(3 * lanes)), s3);
                }

                vectors[v] = s0;
                vectors[v + 1] = s1;
                vectors[v + 2] = s2;
                vectors[v + 3] = s3;
            }

            for (int j = tiles * 4 * lanes; j < columns; j++)
            {
                double sum = row[j];
                for (int s = 0; s < sites; s++)
                {
                    sum = Math.FusedMultiplyAdd(weighted[s], _orderParameters[(s * columns) + j], sum);
                }

                row[j] = sum;
            }
        }

        _sites = 0;
    }
}
