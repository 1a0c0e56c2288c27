#!/usr/bin/env python3
"""PyTorch CPU baseline of the CNN ensemble benchmark (tests/FieldTheory.Convolutions.Benchmarks).

Same architecture as FashionCnn at width N (1x28x28 -> conv N k3 s2 p1 -> ReLU -> conv N k3 s2 p1 -> ReLU -> global
average pool -> readout), the same mean-field (muP) parameterisation and update (docs/cnn.md), float64, full-batch
gradient descent on P Fashion-MNIST images (classes 0 vs 1, standardised per channel), E members trained together as
one grouped convolution (groups = E, mode "grouped") or as E separate networks one after the other (mode "loop");
which of the two is faster depends on the sizes, so the benchmark runs both.

Usage: cnn_torch.py WIDTH MEMBERS STEPS TRAIN THREADS [grouped|loop]
  ->  one JSON line with the seconds and member-steps per second.
"""
import gzip
import json
import math
import sys
import time

import numpy as np
import torch


def fashion(count, folder="/usr/share/datasets/fashion-mnist"):
    with gzip.open(f"{folder}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{folder}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    keep = np.nonzero((labels == 0) | (labels == 1))[0][:count]
    x = images[keep].astype(np.float64) / 255.0
    x = (x - x.mean()) / x.std()
    y = np.where(labels[keep] == 0, 1.0, -1.0)
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    width, members, steps, train, threads = (int(a) for a in sys.argv[1:6])
    mode = sys.argv[6] if len(sys.argv) > 6 else "grouped"
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    gamma0, eta = 1.0, 0.03
    x, y = fashion(train)
    n, e = (width, members) if mode == "grouped" else (width, 1)
    w0 = torch.randn(e * n, 1, 3, 3, dtype=torch.float64, requires_grad=True)
    w1 = torch.randn(e * n, n, 3, 3, dtype=torch.float64, requires_grad=True)
    w2 = torch.randn(e, n, dtype=torch.float64, requires_grad=True)
    xe = x.repeat(1, e, 1, 1)  # P x (E C0) x 28 x 28: member m reads channel block m

    def forward():
        h1 = torch.nn.functional.conv2d(xe, w0, stride=2, padding=1, groups=e) / math.sqrt(1 * 9)
        h2 = torch.nn.functional.conv2d(torch.relu(h1), w1, stride=2, padding=1, groups=e) / math.sqrt(n * 9)
        pooled = torch.relu(h2).mean(dim=(2, 3)).view(-1, e, n)  # P x E x N
        return torch.einsum("pen,en->pe", pooled, w2) / (gamma0 * n)  # P x E

    def run_steps():
        for _ in range(steps):
            f = forward()
            loss = 0.5 * ((y[:, None] - f) ** 2).sum()  # sum over members: each member gets its own gradient
            grads = torch.autograd.grad(loss, (w0, w1, w2))
            with torch.no_grad():
                for w, g in zip((w0, w1, w2), grads):
                    w -= eta * gamma0 * gamma0 * n * g

    start = time.perf_counter()
    for _ in range(members if mode == "loop" else 1):
        run_steps()  # loop mode: the same cost as E independent members (the weights just keep training)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "member_steps_per_second": members * steps / seconds,
                      "width": width, "members": members, "steps": steps, "train": train, "threads": threads, "mode": mode,
                      "torch": torch.__version__, "final_mean_f": float(forward().mean())}))


if __name__ == "__main__":
    main()
