using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FieldTheory.Compute;
using FieldTheory.Fluctuations.TwoLayer;

namespace FieldTheory.Theory.Benchmarks;

/// <summary>
/// The two-layer propagator's dense kernels at the benchmark case's shapes (P = 1, T = 320: R = 963 observable rows,
/// C = 321 order parameters, causal limits), each against a plain scalar loop of the same arithmetic in the same run:
/// the chunk product of the factored site pass (<see cref="CrossProducts{TLanes}"/>, 512 inner entries: 32 SIMD blocks of
/// sites by two state components; one thread, as each row task runs it), the forward solve of the sandwich and the row
/// quadratic forms (<see cref="TriangularTiles"/>, which split their tiles over the cores; the plain loops use one).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PropagatorKernelBenchmarks
{
    private const int Inner = 512;
    private ObservableLayout _layout = null!;
    private CrossProducts<Vector512Lanes> _products = null!;
    private double[] _left = null!;
    private double[] _right = null!;
    private double[] _sums = null!;
    private double[] _lower = null!;
    private double[] _y = null!;
    private double[] _paddedY = null!;
    private double[] _response = null!;
    private double[] _sigma = null!;
    private double[] _paddedSigma = null!;

    [GlobalSetup]
    public void Setup()
    {
        _layout = new ObservableLayout(1, 1, 320);
        int rows = _layout.Rows, columns = _layout.Columns;
        var random = new Random(1);
        _left = [.. Enumerable.Range(0, rows * Inner).Select(_ => random.NextDouble() - 0.5)];
        _right = [.. Enumerable.Range(0, Inner * columns).Select(_ => random.NextDouble() - 0.5)];
        _products = new CrossProducts<Vector512Lanes>(rows, columns, _layout.CausalColumns, Inner);
        int lanes = Vector512Lanes.Count;
        var vectors = new Vector512Lanes[rows];
        for (int slot = 0; slot < Inner; slot += lanes)
        {
            for (int r = 0; r < rows; r++)
            {
                vectors[r] = Vector512Lanes.Load(ref _left[(r * Inner) + slot], 0);
            }

            _products.Put(slot, vectors, _right.AsSpan(slot * columns, lanes * columns));
        }

        _sums = new double[rows * columns];
        _lower = [.. Enumerable.Range(0, columns * columns).Select(_ => (random.NextDouble() - 0.5) / columns)];
        _y = [.. Enumerable.Range(0, columns * columns).Select(_ => random.NextDouble() - 0.5)];
        _paddedY = TriangularTiles.Pad(_y, columns, columns);
        _sigma = [.. Enumerable.Range(0, columns * columns).Select(_ => random.NextDouble() - 0.5)];
        _paddedSigma = TriangularTiles.Pad(_sigma, columns, columns);
        _response = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < _layout.CausalColumns[r]; i++)
            {
                _response[(r * columns) + i] = random.NextDouble() - 0.5;
            }
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("chunk product")]
    public double[] PlainProduct()
    {
        int columns = _layout.Columns;
        int[] limits = _layout.CausalColumns;
        for (int r = 0; r < _layout.Rows; r++)
        {
            for (int j = 0; j < limits[r]; j++)
            {
                double sum = _sums[(r * columns) + j];
                for (int k = 0; k < Inner; k++)
                {
                    sum = Math.FusedMultiplyAdd(_left[(r * Inner) + k], _right[(k * columns) + j], sum);
                }

                _sums[(r * columns) + j] = sum;
            }
        }

        return _sums;
    }

    [Benchmark, BenchmarkCategory("chunk product")]
    public double[] TiledProduct()
    {
        _products.AddProducts(_sums, Inner, 0, _layout.Rows);
        return _sums;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("forward solve")]
    public double[] PlainForwardSolve()
    {
        int n = _layout.Columns;
        var x = (double[])_y.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < n; c++)
            {
                double sum = x[(i * n) + c];
                for (int j = 0; j < i; j++)
                {
                    sum = Math.FusedMultiplyAdd(-_lower[(i * n) + j], x[(j * n) + c], sum);
                }

                x[(i * n) + c] = sum;
            }
        }

        return x;
    }

    [Benchmark, BenchmarkCategory("forward solve")]
    public double[] TiledForwardSolve()
    {
        double[] y = (double[])_paddedY.Clone();
        TriangularTiles.ForwardSolve(_lower, _layout.Columns, y, _layout.Columns);
        return y;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("row quadratic forms")]
    public double[] PlainQuadraticForms()
    {
        int n = _layout.Columns;
        var forms = new double[_layout.Rows];
        for (int r = 0; r < forms.Length; r++)
        {
            int limit = _layout.CausalColumns[r];
            ReadOnlySpan<double> a = _response.AsSpan(r * n, limit);
            for (int i = 0; i < limit; i++)
            {
                forms[r] += a[i] * SpanMath.Dot(_sigma.AsSpan(i * n, limit), a);
            }
        }

        return forms;
    }

    [Benchmark, BenchmarkCategory("row quadratic forms")]
    public double[] TiledQuadraticForms() => TriangularTiles.RowQuadraticForms(_response, _layout.Rows, _paddedSigma, _layout.Columns, _layout.CausalColumns);
}
