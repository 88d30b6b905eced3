#!/usr/bin/env python3
"""GW side by side with POT: writes a seeded instance (two random 3D clouds of n points, Euclidean distances scaled
to max 1, uniform weights) as .npy files and times POT on it in this process; time gwembed on the same files with

  ./gwembed gw --x-distances DIR/x.npy --y-distances DIR/y.npy [--entropic 5e-3] --quiet --out DIR/ours

  python3 bench/scripts/pot_gw_side_by_side.py --n 1000 --dir /tmp/gw1000 [--entropic 5e-3] [--write-only]

Prints one JSON document: POT's version, the seconds to read the files and to solve (POT's own defaults: conditional
gradient gromov_wasserstein2, or entropic_gromov_wasserstein2 with epsilon absolute, square loss), its value (POT's
value, which has no factor 1/2, as gwembed's) and iteration count where POT gives one.
"""
import argparse
import json
import os
import time

import numpy as np


def cloud(n, seed):
    p = np.random.default_rng(seed).random((n, 3))
    d = np.sqrt(((p[:, None, :] - p[None, :, :]) ** 2).sum(-1))
    return d / d.max()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--entropic", type=float, default=0.0)
    ap.add_argument("--write-only", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    x, y = os.path.join(a.dir, "x.npy"), os.path.join(a.dir, "y.npy")
    if not (os.path.exists(x) and os.path.exists(y)):
        np.save(x, cloud(a.n, 11 + a.n))
        np.save(y, cloud(a.n, 23 + a.n))
    if a.write_only:
        return
    import ot
    t0 = time.perf_counter()
    c1, c2 = np.load(x), np.load(y)
    reading = time.perf_counter() - t0
    p, q = ot.unif(c1.shape[0]), ot.unif(c2.shape[0])
    t1 = time.perf_counter()
    if a.entropic > 0:
        value, log = ot.gromov.entropic_gromov_wasserstein2(c1, c2, p, q, "square_loss", a.entropic, log=True)
    else:
        value, log = ot.gromov.gromov_wasserstein2(c1, c2, p, q, "square_loss", log=True)
    solve = time.perf_counter() - t1
    out = {"pot": ot.__version__, "n": int(c1.shape[0]), "entropic": a.entropic, "seconds_reading": reading,
           "seconds_solve": solve, "value": float(value)}
    for k in ("n_iter", "it"):
        if k in log:
            out["iterations"] = int(log[k])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
