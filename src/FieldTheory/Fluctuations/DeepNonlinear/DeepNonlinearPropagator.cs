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
/// <param name="Q">Q[l] (l &lt; L): E[phi(h^l(i)) rho^l(j)] = E[d phi(h^l(i)) / d r^l(j)], S x S over positions (i, j); equals c A^l(i, j) at the saddle. Null at l = 0 and L.</param>
/// <param name="P">P[l] (l &gt; 1): E[sigma^l(i) g^l(j)] = E[d g^l(j) / d u^l(i)], S x S (i, j); equals c B^{l-1}(j, i) at the saddle. Null at l &lt;= 1.</param>
/// <param name="Uncoupled">The diagnostic solve without J from the same samples, where requested (DESIGN.md 4.5: wrong cross-layer covariances).</param>
internal sealed record NonlinearPropagator(DeepLinearFluctuations Fluctuations, double[]?[] Q, double[]?[] P, DeepLinearFluctuations? Uncoupled = null);

/// <summary>
/// The finite-width propagator of a network with L &gt;= 2 hidden layers of a smooth nonlinearity and P training points
/// (DESIGN.md 4.5, deep nonlinear networks): the order parameters, J and the solve Sigma = Sigma0 (I - J Sigma0)^-1,
/// Sigma0 = (I - D)^-1 kappa (I - D)^-T, are those of the deep linear propagator with h replaced by phi(h) in Phi and
/// Q; kappa and D are sampled site moments with pathwise derivatives in place of Wick's theorem (<see cref="LayerSums"/>).
/// A middle layer (1 &lt; l &lt; L) has both source families, so its sites carry derivatives in both at once: its Q^l-P^l
/// block of kappa uses mixed second derivatives and its response rows of D mixed third derivatives.
/// </summary>
/// <remarks>
/// With S = P (T + 1) time-major positions: dim q = L S (S + 1) + 2 (L - 1) S^2 + S. Peak memory (<see cref="PeakMemoryBytes"/>): 24 dim^2 (the
/// dense solve) + per layer 17 chunk sums (<see cref="LayerSums.Bytes"/>: ~8 (no + nr)^2 + 64 (no + nr) S^2 bytes with
/// no ~ S^2 plain and nr = F S^2 response observables, F the layer's source families) + 16 site jets (<see
/// cref="LayerSampler.JetBytes"/>: ~24 S d^3 bytes, d = F S): 85 MiB for L = 2 and 266 MiB for L = 3 at S = 13 (P = 1,
/// T = 12); everything depends on P and T through S only, up to the P copies of the phi' scratch in each jet.
/// Time per tangent sample and layer: about d^3 S^2 / 2 flops (8 times more in a middle layer than in an end layer), per
/// field sample S^4 / 2; plus 7 dim^3 for the solve.
/// </remarks>
internal static class DeepNonlinearPropagator
{
    /// <summary>
    /// Peak memory in bytes for L hidden layers, P training and <paramref name="testPoints"/> test points and T steps
    /// (see the remarks; S counts the test positions).
    /// </summary>
    public static long PeakMemoryBytes(int layers, int points, int steps, int testPoints = 0)
    {
        var layout = new OrderParameterLayout(layers, points + testPoints, steps, points);
        long dim = layout.Dimension, sums = 0, jets = 0;
        for (int l = 1; l <= layers; l++)
        {
            LayerObservables observables = LayerObservables.Of(layout, l, 1.0, centered: false);
            sums += (LayerSampler.Chunks + 1) * LayerSums.Bytes(observables);
            jets = Math.Max(jets, LayerSampler.Chunks * LayerSampler.JetBytes(layout.Size, layout.Points, observables.Directions.Families));
        }

        return 24 * dim * dim + sums + jets;
    }

    /// <summary>
    /// Samples every layer's sites at <paramref name="saddle"/> and solves for Sigma. <paramref name="trajectory"/> is
    /// the same saddle as a trajectory (it supplies the kernels and Delta that turn Sigma into N Var of the NTK and loss).
    /// <paramref name="uncoupledToo"/> adds the diagnostic solve without J from the same samples (a second dense solve,
    /// and kappa and I - D held twice).
    /// </summary>
    public static NonlinearPropagator Compute(NetworkModel model, NonlinearSaddle saddle, DeepTrajectory trajectory, PropagatorSampling sampling,
        bool responseCoupling = true, bool uncoupledToo = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Accept(new Visitor(saddle, trajectory, sampling, responseCoupling, uncoupledToo, ct));
    }

    private sealed class Visitor(NonlinearSaddle saddle, DeepTrajectory trajectory, PropagatorSampling sampling, bool responseCoupling, bool uncoupledToo,
        CancellationToken ct)
        : INetworkModelVisitor<NonlinearPropagator>
    {
        public NonlinearPropagator Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation
        {
            var clock = Stopwatch.StartNew();
            int s = saddle.Size, layers = saddle.Layers;
            var layout = new OrderParameterLayout(layers, saddle.Points, saddle.Steps, saddle.TrainCount);
            int dim = layout.Dimension;
            var kappa = new double[(long)dim * dim];
            var system = new double[(long)dim * dim];
            for (int k = 0; k < dim; k++)
            {
                system[(long)k * dim + k] = 1;
            }

            var q = new double[]?[layers + 1];
            var p = new double[]?[layers + 1];
            for (int l = 1; l <= layers; l++)
            {
                LayerObservables observables = LayerObservables.Of(layout, l, saddle.Gamma0, saddle.Centered);
                LayerSums sums = LayerSampler.Sample<TActivation>(
                    saddle.Layer(l), observables, saddle.FeatureSource(l, sampling.Jitter), saddle.BackwardSource(l, sampling.Jitter),
                    l, sampling.FieldSamples, sampling.TangentSamples, sampling.Seed, ct);
                sums.Write(kappa, system, dim, saddle.C, saddle.Delta);
                (q[l], p[l]) = ResponseMatrices(sums.ResponseMeans(), observables, s);
            }

            ct.ThrowIfCancellationRequested();
            DeepLinearFluctuations? uncoupled = null;
            if (uncoupledToo)
            {
                double[] sigma0 = DeepLinearPropagator.Solve(layout, (double[])system.Clone(), (double[])kappa.Clone(), false, ct, out _);
                uncoupled = new DeepLinearFluctuations(trajectory, saddle.InputGram, layout, sigma0, layers, false, 0, clock.Elapsed);
            }

            double[] sigma = DeepLinearPropagator.Solve(layout, system, kappa, responseCoupling, ct, out double asymmetry);
            var fluctuations = new DeepLinearFluctuations(trajectory, saddle.InputGram, layout, sigma, layers, responseCoupling, asymmetry, clock.Elapsed);
            return new NonlinearPropagator(fluctuations, q, p, uncoupled);
        }

        // Response means as S x S matrices indexed like Q^l(i, j) (V = phi at i, direction at j) and P^l(i, j) (V = g at j, direction at i).
        private static (double[]? Q, double[]? P) ResponseMatrices(double[] means, LayerObservables observables, int s)
        {
            int families = observables.Directions.Families;
            double[]? q = observables.Directions.Backward ? new double[s * s] : null;
            double[]? p = observables.Directions.Feature ? new double[s * s] : null;
            for (int r = 0; r < means.Length; r++)
            {
                (SiteQuantity field, int i, int direction, _) = observables.Responses[r];
                int k = direction / families;
                if (field == SiteQuantity.Phi)
                {
                    q![i * s + k] = means[r];
                }
                else
                {
                    p![k * s + i] = means[r];
                }
            }

            return (q, p);
        }
    }
}
