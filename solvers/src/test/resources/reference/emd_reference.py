#!/usr/bin/python3
"""Reference values of POT's exact OT (ot.emd2) for ExactTransportTest.

Run from any directory with Debian's python3-pot (apt-get install python3-pot):

    /usr/bin/python3 solvers/src/test/resources/reference/emd_reference.py

It rewrites, in this script's folder, for every problem NAME:
  emd_NAME_a.csv, emd_NAME_b.csv   the marginals, one value per line
  emd_NAME_cost.csv                the cost matrix, one row per line, comma separated
and emd_reference.csv with one line per problem: name,rows,cols,emd2.
Inputs are written with repr() (shortest round-trip form), so Java parses exactly the doubles POT saw.
The output is deterministic: rerunning the script reproduces the committed files byte for byte
(generated with POT 0.8.2 and numpy 1.24.2).
"""
import os

import numpy as np
import ot

HERE = os.path.dirname(os.path.abspath(__file__))

# name, rows, cols, seed, fraction of zero weights
PROBLEMS = [
    ("30x40", 30, 40, 1, 0.0),
    ("100x80", 100, 80, 2, 0.0),
    ("60x50_zeros", 60, 50, 3, 0.2),
]


def weights(rng, k, zero_fraction):
    w = rng.random(k) + 0.05
    w[rng.random(k) < zero_fraction] = 0.0
    return w / w.sum()


def problem(n, m, seed, zero_fraction):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 2))
    y = rng.random((m, 2))
    # squared Euclidean distance as dx*dx + dy*dy (no expansion, so no cancellation)
    diff = x[:, None, :] - y[None, :, :]
    cost = diff[:, :, 0] * diff[:, :, 0] + diff[:, :, 1] * diff[:, :, 1]
    a = weights(rng, n, zero_fraction)
    b = weights(rng, m, zero_fraction)
    return a, b, cost


def write_vector(path, values):
    with open(path, "w") as f:
        for value in values:
            f.write(repr(float(value)) + "\n")


def write_matrix(path, matrix):
    with open(path, "w") as f:
        for row in matrix:
            f.write(",".join(repr(float(value)) for value in row) + "\n")


def main():
    lines = ["# ot.emd2 values from emd_reference.py (POT %s, numpy %s); name,rows,cols,emd2"
             % (ot.__version__, np.__version__)]
    for name, n, m, seed, zero_fraction in PROBLEMS:
        a, b, cost = problem(n, m, seed, zero_fraction)
        value = ot.emd2(a, b, cost, numItermax=100_000_000)
        write_vector(os.path.join(HERE, "emd_%s_a.csv" % name), a)
        write_vector(os.path.join(HERE, "emd_%s_b.csv" % name), b)
        write_matrix(os.path.join(HERE, "emd_%s_cost.csv" % name), cost)
        lines.append("%s,%d,%d,%s" % (name, n, m, repr(float(value))))
    with open(os.path.join(HERE, "emd_reference.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
