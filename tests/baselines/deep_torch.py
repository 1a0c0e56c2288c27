"""Baseline: the same deep mean-field ensemble update as the engine (DESIGN.md section 2) in PyTorch CPU, batched over
members with bmm.

E members of an L = 3 tanh MLP of width N, P gaussian training points in D dimensions (targets sign(x_1)), full-batch
GD; every step computes f, the backward fields, the feature and gradient kernels Phi^l, G^l and the exact NTK
K = K^x G^1 + Phi^1 G^2 + Phi^2 G^3 + Phi^3, like the engine. Uses all cores (torch.set_num_threads(os.cpu_count())).
Usage: python3 deep_torch.py [E] [N] [P] [steps] [D]; prints the training loop's seconds. FTC_TORCH_DEVICE=cuda runs
it on the GPU (float64 still), the baseline of the engine's CUDA path (tests/gpu/run-on-device.sh).
"""
import math
import os
import sys
import time

import torch


def train(members=16, width=512, points=64, steps=100, dim=64, gamma0=1.0, eta=0.01, seed=1, device="cpu"):
    torch.manual_seed(seed)
    dt = torch.float64
    x = torch.randn(points, dim, dtype=dt, device=device)
    y = torch.sign(x[:, 0])
    kx = x @ x.T / dim
    w0 = torch.randn(members, width, dim, dtype=dt, device=device)
    w1 = torch.randn(members, width, width, dtype=dt, device=device)
    w2 = torch.randn(members, width, width, dtype=dt, device=device)
    w = torch.randn(members, width, dtype=dt, device=device)
    sn, sd, c = 1.0 / math.sqrt(width), 1.0 / math.sqrt(dim), eta * gamma0
    ntk = torch.empty(steps + 1, members, points, points, dtype=dt, device=device)
    for n in range(steps + 1):
        phi1 = torch.tanh(torch.matmul(x, w0.transpose(1, 2)) * sd)
        phi2 = torch.tanh(torch.bmm(phi1, w1.transpose(1, 2)) * sn)
        phi3 = torch.tanh(torch.bmm(phi2, w2.transpose(1, 2)) * sn)
        f = torch.bmm(phi3, w.unsqueeze(2)).squeeze(2) / (gamma0 * width)
        delta = y - f
        g3 = (1 - phi3 * phi3) * w.unsqueeze(1)
        g2 = (1 - phi2 * phi2) * torch.bmm(g3, w2) * sn
        g1 = (1 - phi1 * phi1) * torch.bmm(g2, w1) * sn
        kernels = [torch.bmm(a, a.transpose(1, 2)) / width for a in (phi1, phi2, phi3, g1, g2, g3)]
        ntk[n] = kx * kernels[3] + kernels[0] * kernels[4] + kernels[1] * kernels[5] + kernels[2]
        if n < steps:
            u1, u2, u3 = (delta.unsqueeze(2) * g for g in (g1, g2, g3))
            w0 += (c * sd) * torch.matmul(u1.transpose(1, 2), x)
            w1 += (c * sn) * torch.bmm(u2.transpose(1, 2), phi1)
            w2 += (c * sn) * torch.bmm(u3.transpose(1, 2), phi2)
            w += c * torch.bmm(delta.unsqueeze(1), phi3).squeeze(1)
    return ntk


if __name__ == "__main__":
    torch.set_num_threads(os.cpu_count())
    defaults = ["16", "512", "64", "100", "64"]
    e, n, p, t, d = (int(a) for a in (sys.argv[1:6] + defaults[len(sys.argv[1:6]):]))
    device = os.environ.get("FTC_TORCH_DEVICE", "cpu")
    if device != "cpu":
        train(e, n, p, 2, d, device=device)  # warm-up: CUDA context and kernel loading
        torch.cuda.synchronize()
    start = time.perf_counter()
    train(e, n, p, t, d, device=device)
    if device != "cpu":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"torch deep L=3 E={e} N={n} P={p} T={t} D={d} on {device} ({torch.get_num_threads()} threads): {seconds:.3f} s, {e * (t + 1) / seconds:.4g} member-steps/s")
