using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// Every layer's site at the infinite-width saddle (DESIGN.md 3.3), rebuilt from the solver's error trajectory so that
/// the responses A^l, B^l and the matrices M, Nn are available. With Delta fixed the layer equations are causal, so
/// forward-then-backward sweeps over whole trajectories become exact after T + 2 sweeps (each sweep finalises at least
/// one more time block); the result is checked against the solver's own f.
/// </summary>
internal sealed class DeepLinearSaddle
{
    private DeepLinearSaddle(LayerSite[] sites) => Sites = sites;

    /// <summary>Sites of layers 1..L, stored at l - 1.</summary>
    public LayerSite[] Sites { get; }

    public static DeepLinearSaddle Build(int layers, int points, int steps, double gamma0, double eta, double[] inputGram, double[] delta)
    {
        int size = points * (steps + 1);
        var h = new double[layers + 1][];
        var g = new double[layers + 2][];
        var a = new double[layers + 1][];
        var b = new double[layers + 1][];
        h[0] = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                h[0][i * size + j] = inputGram[(i % points) * points + j % points];
            }
        }

        g[layers + 1] = new double[size * size];
        Array.Fill(g[layers + 1], 1.0);
        for (int l = 0; l <= layers; l++)
        {
            a[l] = new double[size * size];
            b[l] = new double[size * size];
            if (l >= 1)
            {
                h[l] = new double[size * size];
                g[l] = new double[size * size];
            }
        }

        var sites = new LayerSite[layers];
        for (int sweep = 0; sweep < steps + 3; sweep++)
        {
            for (int l = 1; l <= layers; l++)
            {
                var site = new LayerSite(size, points, gamma0, eta, delta, h[l - 1], g[l + 1], a[l - 1], b[l]);
                h[l] = site.H;
                a[l] = site.A;
            }

            for (int l = layers; l >= 1; l--)
            {
                var site = new LayerSite(size, points, gamma0, eta, delta, h[l - 1], g[l + 1], a[l - 1], b[l]);
                g[l] = site.G;
                b[l - 1] = site.BBelow;
                sites[l - 1] = site;
            }
        }

        // The final sites must reproduce their own inputs: a fixed point of the closed equations.
        double residual = 0;
        for (int l = 1; l <= layers; l++)
        {
            LayerSite site = sites[l - 1];
            residual = Math.Max(residual, SquareMatrix.MaxAbsDifference(site.H, h[l]));
            residual = Math.Max(residual, SquareMatrix.MaxAbsDifference(site.A, a[l]));
            residual = Math.Max(residual, SquareMatrix.MaxAbsDifference(site.BBelow, b[l - 1]));
            residual = Math.Max(residual, SquareMatrix.MaxAbsDifference(site.G, g[l]));
        }

        if (!(residual < 1e-9))
        {
            throw new InvalidOperationException($"the deep linear saddle did not close (residual {residual:G3})");
        }

        return new DeepLinearSaddle(sites);
    }

    /// <summary>Largest |X^l(i,i) / gamma0 - f(i)| over layers and training indices: zero up to rounding at the saddle.</summary>
    public double PredictionMismatch(DeepTrajectory trajectory)
    {
        int points = trajectory.TrainCount;
        int size = points * (trajectory.Steps + 1);
        double worst = 0;
        foreach (LayerSite site in Sites)
        {
            for (int i = 0; i < size; i++)
            {
                double raw = site.X[i * size + i] / trajectory.Gamma0;
                double f = trajectory.Centered ? raw - site.X[(i % points) * size + i % points] / trajectory.Gamma0 : raw;
                worst = Math.Max(worst, Math.Abs(f - trajectory.F[i / points][i % points]));
            }
        }

        return worst;
    }
}
