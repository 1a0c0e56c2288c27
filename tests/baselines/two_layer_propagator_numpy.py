"""Vectorised NumPy baseline of the reduced two-layer finite-width propagator (DESIGN.md 3.1, 4.2), the same work as
the C# solver (src/FieldTheory/Fluctuations/TwoLayer) at P = 1: x = y = 1 (K^x = 1), tanh, gamma0 = 1, eta = 0.05,
uncentered, T steps, on R = 8 Gauss-Hermite grids n^2, each under its own rotation (the replicates of the error
estimate), each group with its own mean trajectory, moments and propagator:

  1. the mean trajectory Delta(n), n = 0..T, marched over all sites;
  2. a replay of every site along Delta with forward-mode tangents dh(n)/dDelta(m), dw(n)/dDelta(m) for all m < n
     (arrays directions x sites), giving the sensitivities D = d<O_r>/dDelta(m) of the observables O = f, NTK and
     feature kernel at every step, and the site covariances kappa of every observable with the outputs;
  3. Sigma = (I + D_f)^-1 kappa_ff (I + D_f)^-T over all time pairs, and N Var of every observable row,
     kappa_rr - 2 B_r . kappa_rf + B_r kappa_ff B_r^T with B = D_O (I + D_f)^-1.

Prints one JSON line: the best and median seconds over the repeats (import excluded), the peak resident memory of the
process (ru_maxrss), and N Var Delta and N Var K at T/2 and T as the mean over the groups with the error
sd / sqrt(R).

With --factored the sensitivities come from the factored form the C# solver uses for small site states (transfer
matrices Pi(n) = M(n-1) ... M(0) of the linearised update: dO_r(n)/dDelta(m) = [Pi(n)^T a_r(n)] . [Pi(m+1)^-1 b(m)],
one GEMM over sites; src/FieldTheory/Fluctuations/TwoLayer/SiteBlock.Factored.cs) instead of the replay: the same
numbers to rounding, so that the C# benchmark can also state its ratio against NumPy doing the same algorithm.

Usage: python3 two_layer_propagator_numpy.py [n] [steps] [repeats] [--rotations r00 r01 r10 r11 ...] [--factored]
  --rotations: the groups' 2 x 2 rotations, row-major, one after the other (the C# benchmark passes its own, so that
  both integrate over the same nodes); without it R = 8 Haar-random ones from NumPy's generator.
"""
import argparse
import json
import resource
import time

import numpy as np

GAMMA0 = 1.0
ETA = 0.05
Y = 1.0


def grid(n, rotation):
    """Nodes (h, w) = R z of the n x n Gauss-Hermite product grid (first coordinate fastest) and weights summing to 1."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    z = np.stack(np.meshgrid(x, x, indexing="xy"), axis=-1).reshape(-1, 2) @ rotation.T
    return z[:, 0].copy(), z[:, 1].copy(), np.outer(w, w).reshape(-1)


def mean_trajectory(h, w, q, steps):
    """Delta(n), n = 0..T, of the sites (h, w) with weights q (DESIGN.md 3.1)."""
    c = ETA * GAMMA0
    h, w = h.copy(), w.copy()
    delta = np.empty(steps + 1)
    for n in range(steps + 1):
        phi = np.tanh(h)
        delta[n] = Y - np.dot(q, w * phi) / GAMMA0
        if n < steps:
            step = c * delta[n]
            h += step * w * (1.0 - phi * phi)
            w += step * phi
    return delta


def site_terms(h, w):
    """At one step: phi, phi', phi'', the observables (f, NTK, feature kernel) and their derivatives with respect to h and
    w, each 3 x sites."""
    phi = np.tanh(h)
    d1 = 1.0 - phi * phi
    d2 = -2.0 * phi * d1
    obs = np.stack([w * phi / GAMMA0, phi * phi + w * w * d1 * d1, phi * phi])
    by_h = np.stack([w * d1 / GAMMA0, 2.0 * d1 * (phi + w * w * d2), 2.0 * phi * d1])
    by_w = np.stack([phi / GAMMA0, 2.0 * w * d1 * d1, np.zeros(h.size)])
    return phi, d1, d2, obs, by_h, by_w


def site_pass(h, w, q, delta):
    """Observables obs[n, k, site] (k: f, NTK, feature kernel) and sensitivities jac[n, k, m] = d<O_k(n)>/dDelta(m)."""
    steps = delta.size - 1
    c = ETA * GAMMA0
    sites = h.size
    h, w = h.copy(), w.copy()
    obs = np.empty((steps + 1, 3, sites))
    jac = np.zeros((steps + 1, 3, steps + 1))
    dh = np.empty((steps, sites))  # dh(n)/dDelta(m), row m
    dw = np.empty((steps, sites))
    scratch = np.empty((2, steps, sites))
    for n in range(steps + 1):
        phi, d1, d2, obs[n], by_h, by_w = site_terms(h, w)
        if n > 0:
            # Tangent contractions with the weighted derivatives of (f, NTK, feature) w.r.t. h and w: two GEMMs.
            jac[n, :, :n] = (dh[:n] @ (q * by_h).T + dw[:n] @ (q * by_w).T).T
        if n == steps:
            break
        # Linearised update of DESIGN.md 3.1 for every earlier direction, from the old (dh, dw):
        # dh += c Delta (phi' dw + w phi'' dh), dw += c Delta phi' dh.
        slope = c * delta[n] * d1
        a, b = dh[:n], dw[:n]
        old_dh_term, old_dw_term = scratch[0, :n], scratch[1, :n]
        np.multiply(a, slope, out=old_dh_term)
        np.multiply(b, slope, out=old_dw_term)
        a *= 1.0 + c * delta[n] * w * d2
        a += old_dw_term
        b += old_dh_term
        # The direction Delta(n) is born at step n + 1.
        dh[n] = c * w * d1
        dw[n] = c * phi
        h += slope * w
        w += c * delta[n] * phi
    return obs.reshape((steps + 1) * 3, sites), jac.reshape((steps + 1) * 3, steps + 1)


def site_pass_factored(h, w, q, delta):
    """As site_pass, with the sensitivities as one product of per-site factors alpha (rows) and beta (columns)."""
    steps = delta.size - 1
    c = ETA * GAMMA0
    sites = h.size
    h, w = h.copy(), w.copy()
    obs = np.empty((steps + 1, 3, sites))
    transfer = np.zeros((2, 2, sites))  # Pi(n), per site
    transfer[0, 0] = transfer[1, 1] = 1.0
    alpha = np.zeros((steps + 1, 3, 2, sites))  # Pi(n)^T a_r(n)
    beta = np.zeros((steps + 1, 2, sites))  # Pi(m + 1)^-1 b(m), weighted
    for n in range(steps + 1):
        phi, d1, d2, obs[n], by_h, by_w = site_terms(h, w)
        alpha[n, :, 0] = by_h * transfer[0, 0] + by_w * transfer[1, 0]
        alpha[n, :, 1] = by_h * transfer[0, 1] + by_w * transfer[1, 1]
        if n == steps:
            break
        slope = c * delta[n] * d1
        m00 = 1.0 + c * delta[n] * w * d2
        transfer = np.stack([
            np.stack([m00 * transfer[0, 0] + slope * transfer[1, 0], m00 * transfer[0, 1] + slope * transfer[1, 1]]),
            np.stack([slope * transfer[0, 0] + transfer[1, 0], slope * transfer[0, 1] + transfer[1, 1]])])
        born_h, born_w = q * c * w * d1, q * c * phi
        det = transfer[0, 0] * transfer[1, 1] - transfer[0, 1] * transfer[1, 0]
        beta[n, 0] = (transfer[1, 1] * born_h - transfer[0, 1] * born_w) / det
        beta[n, 1] = (transfer[0, 0] * born_w - transfer[1, 0] * born_h) / det
        h += slope * w
        w += c * delta[n] * phi
    jac = alpha.reshape((steps + 1) * 3, 2 * sites) @ beta.reshape(steps + 1, 2 * sites).T
    jac = jac.reshape(steps + 1, 3, steps + 1) * np.tril(np.ones((steps + 1, steps + 1)), -1)[:, None, :]
    return obs.reshape((steps + 1) * 3, sites), jac.reshape((steps + 1) * 3, steps + 1)


def propagator(h, w, q, steps, factored=False):
    """N Var of every observable row (f, NTK, feature kernel at n = 0..T) and Sigma = N Cov(Delta(n), Delta(m))."""
    delta = mean_trajectory(h, w, q, steps)
    obs, jac = (site_pass_factored if factored else site_pass)(h, w, q, delta)
    outputs = obs[0::3]
    mean = obs @ q
    mean_f = mean[0::3]
    kappa = obs @ (outputs * q).T - np.outer(mean, mean_f)  # Cov_site(O_r, O_f(m)), R x C
    variance = (obs * obs) @ q - mean * mean
    kappa_ff = kappa[0::3]
    lower = np.eye(steps + 1) + jac[0::3]  # I + D_f, unit lower-triangular
    sigma = np.linalg.solve(lower, np.linalg.solve(lower, kappa_ff).T)
    response = np.linalg.solve(lower.T, jac.T).T  # B = D_O (I + D_f)^-1, R x C
    nvar = variance - 2.0 * np.einsum("rc,rc->r", response, kappa) + np.einsum("rc,rc->r", response @ kappa_ff, response)
    return nvar, sigma, delta


def run(n, steps, rotations, factored=False):
    return [propagator(*grid(n, rotation), steps, factored) for rotation in rotations]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=56)
    parser.add_argument("steps", type=int, nargs="?", default=320)
    parser.add_argument("repeats", type=int, nargs="?", default=3)
    parser.add_argument("--rotations", type=float, nargs="+")
    parser.add_argument("--factored", action="store_true")
    args = parser.parse_args()
    if args.rotations is None:
        rng = np.random.default_rng(1)
        rotations = [np.linalg.qr(rng.standard_normal((2, 2)))[0] for _ in range(8)]
    else:
        rotations = list(np.array(args.rotations).reshape(-1, 2, 2))
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        groups = run(args.n, args.steps, rotations, args.factored)
        times.append(time.perf_counter() - start)
    half = args.steps // 2
    nvars = np.array([nvar for nvar, _, _ in groups])
    nvar = nvars.mean(axis=0)
    error = nvars.std(axis=0, ddof=1) / np.sqrt(len(groups))
    sigma_trace = float(np.mean([np.trace(sigma) for _, sigma, _ in groups]))
    delta_t = float(np.mean([delta[-1] for _, _, delta in groups]))

    def row(n, k):
        return 3 * n + k

    print(json.dumps({
        "seconds": min(times),
        "median": float(np.median(times)),
        "repeats": args.repeats,
        "peakBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "nvarDeltaHalf": float(nvar[row(half, 0)]),
        "nvarNtkHalf": float(nvar[row(half, 1)]),
        "nvarDeltaT": float(nvar[row(args.steps, 0)]),
        "nvarNtkT": float(nvar[row(args.steps, 1)]),
        "errorDeltaHalf": float(error[row(half, 0)]),
        "errorNtkHalf": float(error[row(half, 1)]),
        "sigmaTrace": sigma_trace,
        "deltaT": delta_t,
        "numpy": np.__version__,
        "factored": args.factored,
    }))


if __name__ == "__main__":
    main()
