namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The neuron-average observables of a two-layer network tracked at every step n (DESIGN.md 4.2), in this order:
/// the outputs f_mu on the Q = P + P_test points (training first: these P are the order parameters q = f), the NTK
/// entries K_{mu nu} = phi_mu phi_nu + K^x_{mu nu} w^2 phi'_mu phi'_nu and the feature kernel Phi_{mu nu} = phi_mu phi_nu
/// for training pairs mu &lt;= nu. The kernel rows exist only at the kernel steps (every <see cref="KernelEvery"/>-th
/// step and the last): their fluctuations cost P (P + 1) rows against the outputs' Q, so large problems thin them out.
/// Rows of every matrix over observables are (n, k) time-major; columns over the order parameters are (m, a)
/// time-major, so that causal matrices are strictly lower block-triangular.
/// </summary>
internal sealed class ObservableLayout
{
    private readonly int[] _rowStart;
    private int[]? _causalColumns;
    private int[]? _columnsThrough;

    public ObservableLayout(int points, int train, int steps, int kernelEvery = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelEvery, 1);
        Points = points;
        Train = train;
        Steps = steps;
        KernelEvery = kernelEvery;
        Pairs = train * (train + 1) / 2;
        _rowStart = new int[steps + 2];
        for (int n = 0; n <= steps; n++)
        {
            _rowStart[n + 1] = _rowStart[n] + points + (HasKernels(n) ? 2 * Pairs : 0);
        }

        PairFirst = new int[Pairs];
        PairSecond = new int[Pairs];
        int k = 0;
        for (int mu = 0; mu < train; mu++)
        {
            for (int nu = mu; nu < train; nu++)
            {
                PairFirst[k] = mu;
                PairSecond[k] = nu;
                k++;
            }
        }
    }

    /// <summary>Q = P + P_test.</summary>
    public int Points { get; }

    /// <summary>P.</summary>
    public int Train { get; }

    /// <summary>T; steps n = 0..T are tracked.</summary>
    public int Steps { get; }

    /// <summary>Training pairs mu &lt;= nu, P (P + 1) / 2.</summary>
    public int Pairs { get; }

    /// <summary>Kernel rows are tracked every this many steps (and at the last step).</summary>
    public int KernelEvery { get; }

    /// <summary>Whether step n has NTK and feature-kernel rows.</summary>
    public bool HasKernels(int n) => n % KernelEvery == 0 || n == Steps;

    /// <summary>Observables at step n: Q, plus 2 pairs at a kernel step.</summary>
    public int PerStep(int n) => _rowStart[n + 1] - _rowStart[n];

    /// <summary>First index of each pair.</summary>
    public int[] PairFirst { get; }

    /// <summary>Second index of each pair.</summary>
    public int[] PairSecond { get; }

    /// <summary>R, all observable rows over n = 0..T.</summary>
    public int Rows => _rowStart[Steps + 1];

    /// <summary>C = P (T + 1), the order parameters f_a(m) (equivalently Delta_a(m)).</summary>
    public int Columns => (Steps + 1) * Train;

    /// <summary>Offset of the NTK block within a kernel step.</summary>
    public int NtkOffset => Points;

    /// <summary>Offset of the feature-kernel block within a kernel step.</summary>
    public int FeatureOffset => Points + Pairs;

    /// <summary>Row of observable k at step n (k &lt; Q at every step; the kernel offsets only at kernel steps).</summary>
    public int Row(int n, int k) => _rowStart[n] + k;

    /// <summary>The step of row r.</summary>
    public int StepOfRow(int r)
    {
        int n = Array.BinarySearch(_rowStart, r);
        return n >= 0 ? n : ~n - 1;
    }

    /// <summary>Column of the order parameter f_a(m).</summary>
    public int Column(int m, int a) => (m * Train) + a;

    /// <summary>
    /// Per row, the number of order-parameter columns it can depend on: row r at step n has the columns of the steps
    /// m &lt; n, n P of them (causality; the limits of the factored sensitivity product).
    /// </summary>
    public int[] CausalColumns => _causalColumns ??= Enumerable.Range(0, Rows).Select(r => StepOfRow(r) * Train).ToArray();

    /// <summary>
    /// Per row, the order-parameter columns of the steps m &lt;= n, (n + 1) P of them: the part of &lt;O_r O_f,j&gt; the
    /// propagator reads (the equal-time and earlier block; kappa_ff's later entries are its transpose).
    /// </summary>
    public int[] ColumnsThrough => _columnsThrough ??= Enumerable.Range(0, Rows).Select(r => (StepOfRow(r) + 1) * Train).ToArray();

    /// <summary>The row of the order parameter in column j (f_a(m) itself).</summary>
    public int RowOfColumn(int j) => Row(j / Train, j % Train);
}
