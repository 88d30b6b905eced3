#!/usr/bin/env python3
"""Run gwembed from Python and load what it wrote (docs/python.md).

    python3 docs/python_example.py [OUT_DIR]

The command is taken from the environment variable GWEMBED (split like a shell would), by default
"java -jar cli/target/gwembed.jar" (build it with `mvn -B package -DskipTests`). Needs numpy.
"""
import json
import os
import shlex
import subprocess
import sys

import numpy as np

gwembed = shlex.split(os.environ.get("GWEMBED", "java -jar cli/target/gwembed.jar"))
out = sys.argv[1] if len(sys.argv) > 1 else "out/python-example"

# 1. run EW_lambda: two generated surfaces into an 8 x 8 plane grid, a few outer iterations
cmd = gwembed + ["embed", "--source", "gen:s-curve:60", "--target", "gen:swiss-roll-hole:60",
                 "--space", "plane:8", "--outer-iterations", "3", "--threads", "1",
                 "--output-format", "npy", "--npz", "--save-plans", "--progress", "never",
                 "--out", out]
run = subprocess.run(cmd, capture_output=True, text=True)
if run.returncode != 0:           # 2: bad input (one line on stderr), 1: an error
    sys.exit("gwembed failed (%d): %s" % (run.returncode, run.stderr.strip()))

# 2. the report: parameters, the objective term by term, and the files written
report = json.load(open(os.path.join(out, "result.json")))
print("J = %.6g (W %.6g + lambda %g x (GW1 %.6g + GW2 %.6g))" % (
    report["objective"]["J"], report["objective"]["wasserstein"], report["lambda"],
    report["objective"]["gw1"], report["objective"]["gw2"]))

# 3. the arrays, one np.load each ...
grid = np.load(os.path.join(out, "grid.npy"))          # (N, d) the space's coordinates
zeta1 = np.load(os.path.join(out, "zeta1.npy"))        # (N,) weights in grid order
p1 = np.load(os.path.join(out, "p1.npy"))              # (n1, N) plan source -> grid
proj1 = np.load(os.path.join(out, "projection1.npy"))  # (n1, d) barycentric projections

# ... or all of them from the bundle
with np.load(os.path.join(out, "result.npz")) as bundle:
    assert np.array_equal(bundle["zeta1"], zeta1)
    zeta2 = bundle["zeta2"]

assert grid.shape == (64, 2) and zeta1.shape == (64,)
assert p1.shape == (report["source"]["points"], 64)
assert abs(zeta1.sum() - 1) < 1e-6 and abs(zeta2.sum() - 1) < 1e-6
# the projections are the plan's rows averaged over the grid (paper eq. 37)
assert np.allclose(proj1, (p1 @ grid) / p1.sum(axis=1, keepdims=True))
centre = zeta1 @ grid
print("zeta1 centre of mass (%.3f, %.3f), %d grid points above 1e-5" % (
    centre[0], centre[1], int((zeta1 >= 1e-5).sum())))
print("ok")
