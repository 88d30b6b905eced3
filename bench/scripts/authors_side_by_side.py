#!/usr/bin/env python3
"""Side by side with the authors' code: times REW (REW_utils.py of MoePien/RelaxedEmbeddedWasserstein, MIT) on the
same inputs gwembed reads, and compares its relaxed embeddings with gwembed's.

The authors' file is not copied here: give its path (a checkout of the repository). Modules it imports but REW does
not use (pyvista, matplotlib, pandas, ...) are replaced by empty stand-ins when missing; anytree (not packaged by
Debian) by a minimal tree of the same interface (AnyNode with parent/children/is_root, PreOrderIter).

  python3 bench/scripts/authors_side_by_side.py --rew-utils PATH/REW_utils.py \
      --x1 scurve.npy --x2 swissroll.npy --grid 30 --lam 50 --eps 3e-3 --iterations 3 \
      [--ours out/embed-dir ...] [--out result.json] [--dump zeta.npz]

Inputs are square distance matrices (.npy or .csv), divided by their maximum as gwembed does; the embedding space is
the grid x grid plane grid with D_X scaled to max 1.3 (gwembed's plane:N). --ours takes gwembed output directories
(zeta1.csv, zeta2.csv with x,y,weight) of runs with the same parameters and reports the L1 distance of their zeta to
the authors'. Prints one JSON document: seconds for reading, the solve, each outer iteration, and the L1 distances.
"""
import argparse
import importlib
import importlib.util
import json
import sys
import time
import types

import numpy as np


class _Node:
    """The part of anytree.AnyNode that REW and tree_sinkhorn_torch use."""

    def __init__(self, parent=None, **kwargs):
        self.children = []
        self.parent = None
        for k, v in kwargs.items():
            setattr(self, k, v)
        if parent is not None:
            self.parent = parent
            parent.children.append(self)

    @property
    def is_root(self):
        return self.parent is None


def _pre_order(node):
    yield node
    for c in node.children:
        yield from _pre_order(c)


def _stand_ins():
    for name in ["pyvista", "matplotlib", "matplotlib.pyplot", "pandas", "networkx", "tqdm", "joblib"]:
        try:
            importlib.import_module(name)
        except ImportError:
            m = types.ModuleType(name)
            if name == "tqdm":
                m.tqdm = lambda it, *a, **k: it
                m.trange = lambda *a, **k: range(*a)
            if name == "joblib":
                m.Parallel = m.delayed = None
            sys.modules[name] = m
    try:
        importlib.import_module("anytree")
    except ImportError:
        m = types.ModuleType("anytree")
        m.AnyNode = _Node
        m.PreOrderIter = _pre_order
        sys.modules["anytree"] = m


def _read(path):
    if path.endswith(".npy"):
        return np.load(path)
    return np.loadtxt(path, delimiter=",")


def _zeta(directory, grid):
    t = np.loadtxt(directory + "/zeta1.csv", delimiter=",", skiprows=1), \
        np.loadtxt(directory + "/zeta2.csv", delimiter=",", skiprows=1)
    out = []
    for z in t:
        # gwembed's plane grid: point iy * n + ix at (ix h, iy h), x fastest; sort to that order whatever the file's
        h = np.max(z[:, 0]) / (grid - 1)
        ix = np.rint(z[:, 0] / h).astype(int)
        iy = np.rint(z[:, 1] / h).astype(int)
        w = np.zeros(grid * grid)
        w[iy * grid + ix] = z[:, 2]
        out.append(w)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rew-utils", required=True)
    ap.add_argument("--x1", required=True)
    ap.add_argument("--x2", required=True)
    ap.add_argument("--grid", type=int, default=30)
    ap.add_argument("--max-length", type=float, default=1.3)
    ap.add_argument("--lam", type=float, default=50)
    ap.add_argument("--eps", type=float, default=3e-3)
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--ours", nargs="*", default=[])
    ap.add_argument("--out")
    ap.add_argument("--dump", help="an .npz file for the authors' zeta after every outer iteration")
    ap.add_argument("--perturb", type=float, default=0.0,
                    help="perturb the first input by this relative amount (symmetric, seeded), e.g. 1e-15")
    a = ap.parse_args()

    _stand_ins()
    spec = importlib.util.spec_from_file_location("REW_utils", a.rew_utils)
    rew = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rew)
    import torch
    if a.threads > 0:
        torch.set_num_threads(a.threads)

    t0 = time.perf_counter()
    d1 = _read(a.x1)
    d2 = _read(a.x2)
    d1 = d1 / d1.max()
    d2 = d2 / d2.max()
    reading = time.perf_counter() - t0
    if a.perturb > 0:
        # a symmetric relative perturbation of the first input at round-off level: how far the authors' own
        # iterates move under a change of summation order
        u = np.random.default_rng(1).uniform(-1, 1, d1.shape)
        d1 = d1 * (1 + a.perturb * (u + u.T) / 2)
        np.fill_diagonal(d1, 0)
    x1 = rew.GM("gauge_only", g=d1)
    x2 = rew.GM("gauge_only", g=d2)
    n = a.grid
    ix, iy = np.meshgrid(np.arange(n), np.arange(n))  # x fastest after ravel, as gwembed's plane grid
    z = np.stack([ix.ravel(), iy.ravel()], axis=1).astype(float)
    mz = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(-1))
    mz *= a.max_length / mz.max()

    # one call per outer iteration count would repeat the work; instead time REW with n_its = 1, 2, ... by
    # running it once with a wrapper that records the time at each outer iteration's cost computation
    stamps = []
    history = []  # the authors' zeta1, zeta2 at the start of every outer iteration (after the one before)
    original = rew.compute_cGW
    def timed(*args):
        stamps.append(time.perf_counter())
        if len(stamps) % 2 == 1:
            history.append([np.array(args[3], dtype=float, copy=True)])
        else:
            history[-1].append(np.array(args[2], dtype=float, copy=True))
        return original(*args)
    rew.compute_cGW = timed
    t1 = time.perf_counter()
    g1, g2, zeta1, zeta2 = rew.REW(x1, x2, z, a.iterations, a.lam, a.eps, MZ=mz, use_tqdm=False)
    solve = time.perf_counter() - t1
    starts = stamps[0::2] + [t1 + solve]
    per_iteration = [starts[k + 1] - starts[k] for k in range(a.iterations)]
    zeta1 = np.asarray(zeta1, dtype=float)
    zeta2 = np.asarray(zeta2, dtype=float)
    result = {"n1": int(d1.shape[0]), "n2": int(d2.shape[0]), "grid": n, "lambda": a.lam, "epsilon": a.eps,
              "perturbation": a.perturb,
              "iterations": a.iterations, "torch_threads": torch.get_num_threads(), "seconds_reading": reading,
              "seconds_solve": solve, "seconds_per_iteration": per_iteration,
              "seconds_per_iteration_mean": float(np.mean(per_iteration)), "comparisons": []}
    for d in a.ours:
        o1, o2 = _zeta(d, n)
        result["comparisons"].append({"dir": d, "l1_zeta1": float(np.abs(o1 - zeta1).sum()),
                                      "l1_zeta2": float(np.abs(o2 - zeta2).sum()),
                                      "l1": float(np.abs(o1 - zeta1).sum() + np.abs(o2 - zeta2).sum())})
    if a.dump:
        # zeta after outer iteration k (k = 1 .. iterations), for comparisons with runs of k iterations
        after = [h for h in history[1:]] + [[zeta1, zeta2]]
        np.savez(a.dump, zeta1=np.array([h[0] for h in after]), zeta2=np.array([h[1] for h in after]))
    text = json.dumps(result, indent=2)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
