"""Baseline: the same two-layer mean-field ensemble update as the engine (DESIGN.md section 2), vectorised in NumPy.

E members of width N, one training point (D = P = 1, x = y = 1), tanh, full-batch GD with the exact NTK recorded each
step. Usage: python3 two_layer_numpy.py [E] [N] [steps]; prints member-steps per second.
"""
import sys
import time

import numpy as np


def train(members=4000, width=512, steps=160, gamma0=1.0, eta=0.05, seed=1):
    rng = np.random.default_rng(seed)
    x, y = 1.0, 1.0
    w0 = rng.standard_normal((members, width))          # W^0 (D = 1)
    w = rng.standard_normal((members, width))           # readout
    ntk = np.empty((steps + 1, members))
    loss = np.empty((steps + 1, members))
    for n in range(steps + 1):
        h = w0 * x
        phi = np.tanh(h)
        dphi = 1.0 - phi * phi
        f = (w * phi).sum(axis=1) / (gamma0 * width)
        delta = y - f
        g = dphi * w
        ntk[n] = (phi * phi).mean(axis=1) + x * x * (g * g).mean(axis=1)
        loss[n] = 0.5 * delta * delta
        if n < steps:
            c = eta * gamma0
            w0 += c * delta[:, None] * g * x
            w += c * delta[:, None] * phi
    return ntk, loss


if __name__ == "__main__":
    e, n, t = (int(a) for a in (sys.argv[1:4] + ["4000", "512", "160"][len(sys.argv[1:4]):]))
    start = time.perf_counter()
    train(e, n, t)
    seconds = time.perf_counter() - start
    print(f"numpy two-layer E={e} N={n} T={t}: {seconds:.3f} s, {e * (t + 1) / seconds:.4g} member-steps/s")
