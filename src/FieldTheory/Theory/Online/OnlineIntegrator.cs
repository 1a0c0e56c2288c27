namespace FieldTheory.Theory.Online;

/// <summary>Integrates infinite-width online trajectories for one model (see <see cref="OnlineIntegrator{TActivation}"/>).</summary>
internal interface IOnlineIntegrator
{
    /// <summary>
    /// Integrates <paramref name="problem"/> from the sites <paramref name="nodes"/> (S rows of W_i then w_i) with
    /// weights <paramref name="weights"/> (a measure, or a perturbation of one for the delta method).
    /// </summary>
    OnlineTrace Run(OnlineProblem problem, ReadOnlySpan<double> nodes, double[] weights, bool parallel, IProgress<double>? progress, CancellationToken ct);

    /// <summary>
    /// C(0) exactly: at n = 0 the loss is quadratic in the site weights and 1/2 E_u L''[u, u] is
    /// 1/2 E_x Var_p(w phi(W . x / sqrt D)) / gamma0^2 (the initial output variance, DESIGN.md section 2).
    /// </summary>
    double InitialCorrection(OnlineProblem problem, ReadOnlySpan<double> nodes, double[] weights);
}

/// <summary>Creates the <see cref="IOnlineIntegrator"/> of a model's activation.</summary>
internal sealed class OnlineIntegratorFactory : INetworkModelVisitor<IOnlineIntegrator>
{
    public IOnlineIntegrator Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation => new OnlineIntegrator<TActivation>();
}

/// <summary>
/// Population gradient descent or infinite-width SGD on given batches (DESIGN.md 3.5): at each n = 0..T, evaluate f
/// on the population (its loss), the test inputs and batch n, then (n &lt; T) move every site along the gradient of
/// the chosen loss (<see cref="OnlineNetwork{TActivation}"/>).
/// </summary>
internal sealed class OnlineIntegrator<TActivation> : IOnlineIntegrator
    where TActivation : struct, IActivation
{
    public OnlineTrace Run(OnlineProblem problem, ReadOnlySpan<double> nodes, double[] weights, bool parallel, IProgress<double>? progress, CancellationToken ct)
    {
        OnlinePopulation population = problem.Population;
        int d = population.Dimension;
        int s = weights.Length;
        int m = population.Count;
        int steps = problem.Steps;
        bool onBatches = problem.Gradient == OnlineGradient.EnsembleBatches;
        BatchSequence? batches = problem.Batches;
        if ((onBatches || problem.RecordBatches) && batches is null)
        {
            throw new ArgumentException("Batch gradients and batch records need the batch sequence.", nameof(problem));
        }

        var network = new OnlineNetwork<TActivation>(nodes, weights, d, problem.Gamma0, parallel);
        bool useBatches = onBatches || problem.RecordBatches;
        int b = useBatches ? batches!.Batch : 0;
        var populationF = new double[m];
        double[]? populationPhi = onBatches ? null : new double[(long)s * m];
        double[]? populationDphi = onBatches ? null : new double[(long)s * m];
        var batchF = new double[b];
        double[]? batchPhi = useBatches ? new double[(long)s * b] : null;
        double[]? batchDphi = useBatches ? new double[(long)s * b] : null;
        int tests = problem.TestX is null ? 0 : problem.TestX.Length / d;
        var qDelta = new double[Math.Max(m, b)];

        var loss = new double[steps + 1];
        double[][]? testF = problem.TestX is null ? null : new double[steps + 1][];
        double[][]? recordF = problem.RecordBatches ? new double[steps + 1][] : null;
        double[][]? recordDelta = problem.RecordBatches ? new double[steps + 1][] : null;
        double[]? recordLoss = problem.RecordBatches ? new double[steps + 1] : null;
        double[][][]? recordNtk = problem.RecordBatches ? new double[steps + 1][][] : null;
        for (int n = 0; n <= steps; n++)
        {
            ct.ThrowIfCancellationRequested();
            network.Outputs(population.X, m, populationF, populationPhi, populationDphi);
            loss[n] = population.Loss(populationF);
            if (testF is not null)
            {
                testF[n] = new double[tests];
                network.Outputs(problem.TestX!, tests, testF[n]);
            }

            double[] batchX = [];
            double[] batchY = [];
            if (useBatches)
            {
                (batchX, batchY) = batches![n];
                network.Outputs(batchX, b, batchF, batchPhi, batchDphi);
            }

            if (problem.RecordBatches)
            {
                recordF![n] = (double[])batchF.Clone();
                recordDelta![n] = [.. batchY.Select((y, mu) => y - batchF[mu])];
                recordLoss![n] = 0.5 * recordDelta[n].Sum(e => e * e) / b;
                recordNtk![n] = network.Ntk(batchX, b, batchPhi!, batchDphi!);
            }

            if (n < steps)
            {
                if (onBatches)
                {
                    for (int mu = 0; mu < b; mu++)
                    {
                        qDelta[mu] = (batchY[mu] - batchF[mu]) / b;
                    }

                    network.Step(batchX, b, qDelta, batchPhi!, batchDphi!, problem.Eta);
                }
                else
                {
                    // Label noise has mean zero: the population gradient sees the noiseless teacher.
                    for (int a = 0; a < m; a++)
                    {
                        qDelta[a] = population.Weights[a] * (population.Y[a] - populationF[a]);
                    }

                    network.Step(population.X, m, qDelta, populationPhi!, populationDphi!, problem.Eta);
                }
            }

            progress?.Report((n + 1.0) / (steps + 1.0));
        }

        return new OnlineTrace(loss, testF, recordF, recordDelta, recordLoss, recordNtk);
    }

    public double InitialCorrection(OnlineProblem problem, ReadOnlySpan<double> nodes, double[] weights)
    {
        OnlinePopulation population = problem.Population;
        int d = population.Dimension;
        double scale = 1.0 / Math.Sqrt(d);
        double total = 0.0;
        for (int a = 0; a < population.Count; a++)
        {
            ReadOnlySpan<double> x = population.X.AsSpan(a * d, d);
            double mean = 0.0;
            double square = 0.0;
            for (int i = 0; i < weights.Length; i++)
            {
                ReadOnlySpan<double> site = nodes.Slice(i * (d + 1), d + 1);
                double h = 0.0;
                for (int k = 0; k < d; k++)
                {
                    h += site[k] * x[k];
                }

                double output = site[d] * default(TActivation).Value(h * scale);
                mean += weights[i] * output;
                square += weights[i] * output * output;
            }

            total += population.Weights[a] * (square - (mean * mean));
        }

        return 0.5 * total / (problem.Gamma0 * problem.Gamma0);
    }
}
