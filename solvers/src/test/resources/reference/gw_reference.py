#!/usr/bin/python3
"""Reference values for GromovWassersteinTest, computed with POT 0.8.2 (python3-pot of Debian 12).

Run from this directory with the system Python that has POT:  /usr/bin/python3 gw_reference.py
It (re)writes, beside itself, for each problem <name> in {uniform, weighted}:
  gw_<name>_C1.csv (20x20), gw_<name>_C2.csv (25x25)   Euclidean distance matrices scaled to max 1
  gw_<name>_p.csv, gw_<name>_q.csv                      marginals (one value per line)
  gw_<name>_plan_cg.csv                                 plan of ot.gromov.gromov_wasserstein
  gw_<name>_plan_eps<e>.csv                             plan of ot.gromov.entropic_gromov_wasserstein
and gw_reference_values.csv with one line per run: problem,method,epsilon,value,outer_checks,
col_marginal_l2,row_marginal_l2 (the last three are diagnostics of POT's own accuracy).
Numbers are written with 17 significant digits; BLAS runs single-threaded so reruns are bit-identical.
"""
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import ot  # noqa: E402

assert ot.__version__ == "0.8.2", ot.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
EPSILONS = [("5e-3", 5e-3), ("5e-2", 5e-2)]


def distances(x):
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    return d / d.max()


def write_matrix(name, a):
    a = np.atleast_2d(a)
    with open(os.path.join(HERE, name), "w") as f:
        for row in a:
            f.write(",".join("%.17g" % v for v in row) + "\n")


def write_vector(name, v):
    with open(os.path.join(HERE, name), "w") as f:
        for x in v:
            f.write("%.17g\n" % x)


def main():
    rng = np.random.RandomState(20250214)
    lines = ["problem,method,epsilon,value,outer_checks,col_marginal_l2,row_marginal_l2"]
    for name in ["uniform", "weighted"]:
        x = rng.randn(20, 2) * np.array([1.0, 0.6])
        y = rng.randn(25, 3) * np.array([1.0, 0.7, 0.4])
        C1, C2 = distances(x), distances(y)
        if name == "uniform":
            p, q = ot.unif(20), ot.unif(25)
        else:
            p = rng.uniform(0.5, 1.5, 20)
            p /= p.sum()
            q = rng.uniform(0.5, 1.5, 25)
            q /= q.sum()
        write_matrix("gw_%s_C1.csv" % name, C1)
        write_matrix("gw_%s_C2.csv" % name, C2)
        write_vector("gw_%s_p.csv" % name, p)
        write_vector("gw_%s_q.csv" % name, q)

        gw, log = ot.gromov.gromov_wasserstein2(C1, C2, p, q, "square_loss", log=True)
        T = log["T"]
        write_matrix("gw_%s_plan_cg.csv" % name, T)
        lines.append("%s,cg,0,%.17g,%d,%.3g,%.3g" % (name, gw, len(log["loss"]) - 1,
                     np.linalg.norm(T.sum(0) - q), np.linalg.norm(T.sum(1) - p)))

        for label, eps in EPSILONS:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                T, log = ot.gromov.entropic_gromov_wasserstein(C1, C2, p, q, "square_loss", eps, log=True)
            inner_warnings = sum("Sinkhorn did not converge" in str(w.message) for w in caught)
            write_matrix("gw_%s_plan_eps%s.csv" % (name, label), T)
            lines.append("%s,entropic,%s,%.17g,%d,%.3g,%.3g" % (name, label, log["gw_dist"], len(log["err"]),
                         np.linalg.norm(T.sum(0) - q), np.linalg.norm(T.sum(1) - p)))
            if inner_warnings:
                lines[-1] += "  # %d inner sinkhorn runs hit numItermax" % inner_warnings
    with open(os.path.join(HERE, "gw_reference_values.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
