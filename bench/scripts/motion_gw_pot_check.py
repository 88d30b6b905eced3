#!/usr/bin/env python3
"""Cross-check of the motion collection's pairwise GW matrix against POT (issue 19's worked example).

Reads the collection that `./gwembed examples motion --out DIR` wrote (member-NNN.npy, labels.csv) and the
matrix `java ... org.gwembed.bench.MotionSeparation --out OUT` wrote (OUT/gw.npy, same --members/--frames/
--classes/--seed), recomputes every pair i < j with POT's ot.gromov.gromov_wasserstein2(D_i, D_j, p, q,
"square_loss") (conditional gradient from p q^T, POT's default thresholds; uniform weights), and prints the
largest absolute and relative differences, and POT's own 1-NN accuracy.

  /usr/bin/python3 bench/scripts/motion_gw_pot_check.py --dir DIR --gw OUT/gw.npy [--pairs K]

--pairs K checks only the first K pairs in row order (default: all). Needs numpy and POT 0.8.2
(Debian: python3-pot).
"""
import argparse
import csv
import os
import time

import numpy as np
import ot


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--gw", required=True)
    ap.add_argument("--pairs", type=int, default=None)
    a = ap.parse_args()
    with open(os.path.join(a.dir, "labels.csv")) as f:
        rows = list(csv.DictReader(f))
    d = [np.load(os.path.join(a.dir, r["file"])) for r in rows]
    labels = np.array([int(r["class"]) for r in rows])
    ours = np.load(a.gw)
    n = len(d)
    assert ours.shape == (n, n), f"gw.npy is {ours.shape}, the collection has {n} members"
    pot = np.zeros((n, n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    if a.pairs is not None:
        pairs = pairs[: a.pairs]
    t0 = time.time()
    worst_abs, worst_rel = 0.0, 0.0
    for i, j in pairs:
        p = ot.unif(d[i].shape[0])
        q = ot.unif(d[j].shape[0])
        v = ot.gromov.gromov_wasserstein2(d[i], d[j], p, q, "square_loss")
        pot[i, j] = pot[j, i] = v
        diff = abs(v - ours[i, j])
        worst_abs = max(worst_abs, diff)
        worst_rel = max(worst_rel, diff / max(abs(v), 1e-300))
    print(f"{len(pairs)} pairs in {time.time() - t0:.1f} s: max |POT - gwembed| = {worst_abs:.3e}, "
          f"max relative = {worst_rel:.3e}, GW values {min(pot[i, j] for i, j in pairs):.4g}.."
          f"{max(pot[i, j] for i, j in pairs):.4g}")
    if a.pairs is None:
        e = pot.copy()
        np.fill_diagonal(e, np.inf)
        print(f"POT's matrix: 1-NN accuracy {np.mean(labels[np.argmin(e, axis=1)] == labels):.3f}")


if __name__ == "__main__":
    main()
