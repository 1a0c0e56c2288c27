"""Compares two result JSON files of the same experiment run on two devices (ftc run / ftc cnn with --device cpu and
--device cuda): walks both trees in parallel and prints, per series (the path of keys down to a numeric array), the
largest absolute difference and that difference relative to the series' largest magnitude. Timing, device and version
fields are skipped. Exits 1 when any relative difference exceeds the tolerance (default 1e-9), else 0.

Usage: python3 compare_results.py A.json B.json [tolerance]
"""
import json
import math
import sys

SKIPPED = {"seconds", "tool", "device", "elapsed", "experiment", "compute", "method", "backend"}


def leaves(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() & b.keys():
            if key not in SKIPPED:
                leaves(a[key], b[key], path + (key,), out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.setdefault(path, []).append((math.inf, 1.0))
            return
        for x, y in zip(a, b):
            leaves(x, y, path, out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        out.setdefault(path, []).append((abs(a - b), max(abs(a), abs(b))))


def main():
    first, second = (json.load(open(name)) for name in sys.argv[1:3])
    tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9
    series = {}
    leaves(first, second, (), series)
    worst = 0.0
    for path, pairs in sorted(series.items()):
        difference = max(d for d, _ in pairs)
        scale = max(m for _, m in pairs)
        relative = difference / scale if scale > 0 else difference
        worst = max(worst, relative)
        print(f"  {'.'.join(path):40s} {len(pairs):7d} values  max |diff| {difference:.2e}  relative {relative:.2e}")
    verdict = "PASS" if worst <= tolerance else "FAIL"
    print(f"CHECK {sys.argv[1]} vs {sys.argv[2]}: {verdict} (largest relative difference {worst:.2e}, tolerance {tolerance:.0e})")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
