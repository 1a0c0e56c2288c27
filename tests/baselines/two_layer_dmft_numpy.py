"""Vectorised NumPy baseline of the two-layer forward integration (DESIGN.md 3.1), the same work as the C# solver:
P = 1 (x = y = 1, K^x = 1), tanh, gamma0 = 1, eta = 0.05, T steps, R = 8 Gauss-Hermite grids n^2, each under its own
random rotation (the replicates of the error estimate), each evolving with its own Delta. Prints one JSON line: median
seconds over the repeats, tracemalloc peak bytes, and Delta(T) averaged over the grids.

Usage: python3 two_layer_dmft_numpy.py [n] [steps] [repeats]
"""
import json
import sys
import time
import tracemalloc

import numpy as np


def grid(n, rotation):
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    z = np.stack(np.meshgrid(x, x, indexing="ij"), axis=-1).reshape(-1, 2) @ rotation.T
    weights = np.outer(w, w).reshape(-1)
    return z[:, 0].copy(), z[:, 1].copy(), weights


def integrate(h, w, q, steps, gamma0=1.0, eta=0.05, y=1.0):
    deltas = np.empty(steps + 1)
    c = eta * gamma0
    for n in range(steps + 1):
        phi = np.tanh(h)
        dphi = 1.0 - phi * phi
        f = np.dot(q, w * phi) / gamma0
        delta = y - f
        deltas[n] = delta
        _ntk = np.dot(q, phi * phi) + np.dot(q, w * w * dphi * dphi)
        if n < steps:
            h = h + c * w * delta * dphi
            w = w + c * delta * phi
    return deltas


def run(n, steps):
    rng = np.random.default_rng(1)
    rotations = [np.linalg.qr(rng.standard_normal((2, 2)))[0] for _ in range(8)]
    return np.mean([integrate(*grid(n, rotation), steps) for rotation in rotations], axis=0)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 56
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 320
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        deltas = run(n, steps)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run(n, steps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"seconds": float(np.median(times)), "peakBytes": peak, "deltaT": float(deltas[-1]), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
