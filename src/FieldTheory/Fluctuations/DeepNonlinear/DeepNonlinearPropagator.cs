using System.Diagnostics;
using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>Site samples of the propagator, per layer (DESIGN.md 4.5).</summary>
/// <param name="FieldSamples">Paths for kappa's plain (Phi, G, f) block, values only: the noisiest block (g^2-type products have heavy tails), so the larger set.</param>
/// <param name="TangentSamples">Independent paths with derivatives to third order: every other block of kappa and all of D.</param>
/// <param name="Seed">Key of the counter-based generator.</param>
/// <param name="Jitter">Relative diagonal jitter of the Cholesky factors of the temporal source kernels.</param>
internal sealed record PropagatorSampling(int FieldSamples, int TangentSamples, ulong Seed, double Jitter = 1e-10);

/// <summary>The propagator with the sample means of the response observables, a check of the saddle it expands around.</summary>
/// <param name="Fluctuations">Sigma and the N Var / N Cov read from it.</param>
/// <param name="Q1">E[phi(h^1(n)) rho^1(m)] = E[d phi(h^1(n)) / d r^1(m)], S x S; equals c A^1(n, m) at the saddle.</param>
/// <param name="P2">E[sigma^2(n) g^2(m)] = E[d g^2(m) / d u^2(n)], S x S; equals c B^1(m, n) at the saddle.</param>
internal sealed record NonlinearPropagator(DeepLinearFluctuations Fluctuations, double[] Q1, double[] P2);

/// <summary>
/// The finite-width propagator of a network with two hidden layers of a smooth nonlinearity and one training point
/// (DESIGN.md 4.5, deep nonlinear networks): the order parameters, J and the solve Sigma = Sigma0 (I - J Sigma0)^-1,
/// Sigma0 = (I - D)^-1 kappa (I - D)^-T, are those of the deep linear propagator with h replaced by phi(h) in Phi and
/// Q; kappa and D are sampled site moments with pathwise derivatives in place of Wick's theorem (<see cref="LayerSums"/>).
/// </summary>
/// <remarks>
/// With S = T + 1: dim q = 2 S (S + 1) + 2 S^2 + S. Peak memory 24 dim^2 (the dense solve) + 2 x 16 x 8 (no^2 + no nr
/// + nr^2 + (no + nr) (S^2 + 2 S) + 3 no) bytes for the chunk sums (no = S^2 + 2 S plain and nr = S^2 response
/// observables per layer) + 16 x 24 S^4 bytes for the site jets: about 60 MB at T = 12. Time: about
/// (M_t (3 S^4 + S^5 / 2) + M_f S^4 / 2) flops per layer for M_t tangent and M_f field samples plus 7 dim^3 for the solve.
/// </remarks>
internal static class DeepNonlinearPropagator
{
    /// <summary>Peak memory in bytes for T steps (see the remarks).</summary>
    public static long PeakMemoryBytes(int steps)
    {
        long s = steps + 1;
        long dim = OrderParameterLayout.DimensionOf(2, 1, steps);
        long no = s * s + 2 * s, nr = s * s;
        long sums = 8 * (no * no + no * nr + nr * nr + (no + nr) * (s * s + 2 * s) + 3 * no);
        return 24 * dim * dim + 2L * LayerSampler.Chunks * sums + LayerSampler.Chunks * 24 * s * s * s * s;
    }

    /// <summary>
    /// Samples both layers' sites at <paramref name="saddle"/> and solves for Sigma. <paramref name="trajectory"/> is
    /// the same saddle as a trajectory (it supplies the kernels and Delta that turn Sigma into N Var of the NTK and loss).
    /// </summary>
    public static NonlinearPropagator Compute(NetworkModel model, TwoLayerSaddle saddle, DeepTrajectory trajectory, PropagatorSampling sampling,
        bool responseCoupling = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Accept(new Visitor(saddle, trajectory, sampling, responseCoupling, ct));
    }

    private sealed class Visitor(TwoLayerSaddle saddle, DeepTrajectory trajectory, PropagatorSampling sampling, bool responseCoupling, CancellationToken ct)
        : INetworkModelVisitor<NonlinearPropagator>
    {
        public NonlinearPropagator Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation
        {
            var clock = Stopwatch.StartNew();
            int s = saddle.Size;
            var layout = new OrderParameterLayout(2, 1, saddle.Steps);
            int dim = layout.Dimension;

            LayerEquation first = saddle.FirstLayer(), second = saddle.SecondLayer();
            LayerObservables firstObservables = LayerObservables.First(layout);
            LayerObservables secondObservables = LayerObservables.Second(layout, saddle.Gamma0, saddle.Centered);
            LayerSums firstSums = LayerSampler.Sample<TActivation>(
                first, firstObservables,
                GaussianSource.Constant(s, saddle.InputGram), GaussianSource.Process(s, saddle.G2, sampling.Jitter),
                1, sampling.FieldSamples, sampling.TangentSamples, sampling.Seed, ct);
            LayerSums secondSums = LayerSampler.Sample<TActivation>(
                second, secondObservables,
                GaussianSource.Process(s, saddle.Phi1, sampling.Jitter), GaussianSource.Constant(s, 1.0),
                2, sampling.FieldSamples, sampling.TangentSamples, sampling.Seed, ct);

            var kappa = new double[(long)dim * dim];
            var system = new double[(long)dim * dim];
            for (int k = 0; k < dim; k++)
            {
                system[(long)k * dim + k] = 1;
            }

            firstSums.Write(kappa, system, dim, saddle.C, saddle.Delta);
            secondSums.Write(kappa, system, dim, saddle.C, saddle.Delta);
            ct.ThrowIfCancellationRequested();
            double[] sigma = DeepLinearPropagator.Solve(layout, system, kappa, responseCoupling, ct, out double asymmetry);
            var fluctuations = new DeepLinearFluctuations(trajectory, [saddle.InputGram], layout, sigma, 2, responseCoupling, asymmetry, clock.Elapsed);
            return new NonlinearPropagator(fluctuations, Reorder(firstSums.ResponseMeans(), firstObservables, s, transpose: false),
                Reorder(secondSums.ResponseMeans(), secondObservables, s, transpose: true));
        }

        // Response means as S x S matrices indexed like Q^1(n, m) (i = n, k = m) and P^2(n, m) (i = m, k = n).
        private static double[] Reorder(double[] means, LayerObservables observables, int s, bool transpose)
        {
            var matrix = new double[s * s];
            for (int r = 0; r < means.Length; r++)
            {
                (int i, int k, _) = observables.Responses[r];
                matrix[transpose ? k * s + i : i * s + k] = means[r];
            }

            return matrix;
        }
    }
}
