"""GaussianFit.sample in high dimension: the low-rank route against the p x p (eigh) route.

Usage: .venv/bin/python benchmarks/bench_generators.py [--p 10000] [--n1 200] [--n-syn 2000]

Prints both timings and their ratio side by side (no asserts: timings depend on the machine).
The eigh route forms the p x p covariance and its eigendecomposition, O(p^3): at p = 10,000
it needs about 2.4 GB and minutes; pass a smaller --p for a quick look.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synthlib.imbalance import GaussianFit


def _time(gen, X, n_syn):
    start = time.perf_counter()
    gen.sample(X, n_syn, random_state=0)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--p", type=int, default=10_000)
    parser.add_argument("--n1", type=int, default=200)
    parser.add_argument("--n-syn", type=int, default=2000)
    args = parser.parse_args()
    X = np.random.default_rng(0).normal(size=(args.n1, args.p))
    low = _time(GaussianFit(shrinkage=0.1, method="low_rank"), X, args.n_syn)
    print(f"p = {args.p}, n1 = {args.n1}, n_syn = {args.n_syn}")
    print(f"  low_rank: {low:8.2f} s", flush=True)
    full = _time(GaussianFit(shrinkage=0.1, method="eigh"), X, args.n_syn)
    print(f"  eigh:     {full:8.2f} s   ratio eigh / low_rank = {full / low:.0f}x")


if __name__ == "__main__":
    main()
