#!/usr/bin/python3
"""Runs POT 0.9's own solvers on the problems of solvers' reference set and compares with the committed POT 0.8.2
numbers (solvers/src/test/resources/reference/gw_reference_values.csv, gwv_reference_values.csv). See
docs/pot-versions.md for how POT 0.9 was built and what the comparison found.

Run from the repository root with POT 0.9 importable, e.g.
    PYTHONPATH=/tmp/pot-0.9.5 /usr/bin/python3 docs/pot-versions/pot09_check.py
It prints one line per problem: the committed value, POT 0.9's value at the same settings, and the largest absolute
difference of the plans. Nothing is written.
"""
import os
import warnings

os.environ["OPENBLAS_NUM_THREADS"] = "1"
import numpy as np  # noqa: E402
import ot  # noqa: E402

REF = os.path.join("solvers", "src", "test", "resources", "reference")
warnings.simplefilter("ignore")


def load(name):
    return np.loadtxt(os.path.join(REF, name), delimiter=",")


def values(name):
    rows = {}
    with open(os.path.join(REF, name)) as f:
        header = f.readline().strip().split(",")
        for line in f:
            cells = line.split("#")[0].strip().split(",")
            rows[tuple(cells[:header.index("value")])] = dict(zip(header, cells))
    return rows


def report(what, committed, value, plan=None, ref_plan=None):
    diff = "" if plan is None else "  max |plan - committed plan| %.2g" % np.abs(plan - ref_plan).max()
    print("%-34s 0.8.2 %.17g  0.9 %.17g  rel %.1e%s" % (what, committed, value,
                                                        abs(value - committed) / abs(committed), diff))


print("POT", ot.__version__)
gw = values("gw_reference_values.csv")
for name in ["uniform", "weighted"]:
    C1, C2, p, q = (load("gw_%s_%s.csv" % (name, s)) for s in ["C1", "C2", "p", "q"])
    T, log = ot.gromov.gromov_wasserstein(C1, C2, p, q, "square_loss", log=True)
    report(name + " gromov_wasserstein", float(gw[(name, "cg", "0")]["value"]), log["gw_dist"], T,
           load("gw_%s_plan_cg.csv" % name))
    for tag, eps in [("5e-3", 5e-3), ("5e-2", 5e-2)]:
        T, log = ot.gromov.entropic_gromov_wasserstein(C1, C2, p, q, "square_loss", eps, log=True)
        report("%s entropic_gw eps %s" % (name, tag), float(gw[(name, "entropic", tag)]["value"]), log["gw_dist"],
               T, load("gw_%s_plan_eps%s.csv" % (name, tag)))

gv = values("gwv_reference_values.csv")
for key, row in gv.items():
    name, method, alpha, eps = key
    if name not in ("uniform", "weighted"):
        continue
    C1, C2, p, q, M = (load("gwv_%s_%s.csv" % (name, s)) for s in ["C1", "C2", "p", "q", "M"])
    alpha, eps = float(alpha), float(eps)
    committed = float(row["value"])
    ref_plan = load("gwv_%s_plan_%s.csv" % (name, method))
    if method == "fgw":
        T, log = ot.gromov.fused_gromov_wasserstein(M, C1, C2, p, q, "square_loss", alpha=alpha, log=True)
        report(name + " fused_gw", committed, log["fgw_dist"], T, ref_plan)
    elif method == "efgw":
        T, log = ot.gromov.entropic_fused_gromov_wasserstein(M, C1, C2, p, q, "square_loss", eps, alpha=alpha,
                                                             solver="PGD", log=True, max_iter=1000, tol=1e-9)
        report(name + " entropic_fused_gw", committed, log["fgw_dist"], T, ref_plan)
    elif method == "srgw":
        T, log = ot.gromov.semirelaxed_gromov_wasserstein(C1, C2, p, "square_loss", log=True)
        report(name + " semirelaxed_gw", committed, log["srgw_dist"], T, ref_plan)
    elif method == "esrgw":
        T, log = ot.gromov.entropic_semirelaxed_gromov_wasserstein(C1, C2, p, "square_loss", eps, log=True,
                                                                   max_iter=10000, tol=1e-9)
        report(name + " entropic_semirelaxed_gw", committed, log["srgw_dist"], T, ref_plan)
    elif method == "pgw":
        T, log = ot.partial.partial_gromov_wasserstein(C1, C2, p, q, m=eps, log=True)
        report(name + " ot.partial.partial_gw m=%g" % eps, committed, log["partial_gw_dist"], T, ref_plan)
        T2, log2 = ot.gromov.partial_gromov_wasserstein(C1, C2, p, q, m=eps, log=True)
        report(name + " ot.gromov.partial_gw m=%g" % eps, committed, log2["partial_gw_dist"], T2, ref_plan)
