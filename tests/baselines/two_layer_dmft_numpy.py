"""Vectorised NumPy baseline of the two-layer forward integration (DESIGN.md 3.1), the same work as the C# solver:
P = 1 (x = y = 1, K^x = 1), tanh, gamma0 = 1, eta = 0.05, T steps, a rotated Gauss-Hermite grid n^2 plus the coarse
(n/2)^2 grid of the error estimate, each evolving with its own Delta. Prints one JSON line: median seconds over the
repeats, tracemalloc peak bytes, and Delta(T) of the fine grid.

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
    rotation, _ = np.linalg.qr(rng.standard_normal((2, 2)))
    fine = grid(n, rotation)
    coarse = grid(n // 2, rotation)
    return integrate(*fine, steps), integrate(*coarse, steps)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 160
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 320
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fine, _ = run(n, steps)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run(n, steps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"seconds": float(np.median(times)), "peakBytes": peak, "deltaT": float(fine[-1]), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
