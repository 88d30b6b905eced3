#!/usr/bin/env python3
"""Reference squared Bures distances between 2x2 SPD matrices, by scipy.linalg.sqrtm (an independent path from
GaussianSpace's closed form). Writes bures_reference.csv: a11,a12,a22,b11,b12,b22,bures2.
Run from this directory: python3 bures_reference.py"""
import numpy as np
from scipy.linalg import sqrtm

rng = np.random.default_rng(20261123)
rows = []
cases = [
    (np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[3.0, 0.0], [0.0, 0.5]])),     # commuting (diagonal)
    (np.array([[1.0, 0.5], [0.5, 1.0]]), np.array([[1.0, -0.5], [-0.5, 1.0]])),   # non-commuting
    (np.array([[0.5, 0.0], [0.0, 0.5]]), np.array([[1.0, 0.35355339059327373], [0.35355339059327373, 0.5]])),
]
for _ in range(20):
    m1 = rng.normal(size=(2, 2))
    m2 = rng.normal(size=(2, 2))
    cases.append((m1 @ m1.T + 0.1 * np.eye(2), m2 @ m2.T + 0.1 * np.eye(2)))
for a, b in cases:
    ra = sqrtm(a).real
    cross = sqrtm(ra @ b @ ra).real
    d2 = np.trace(a) + np.trace(b) - 2 * np.trace(cross)
    rows.append([a[0, 0], a[0, 1], a[1, 1], b[0, 0], b[0, 1], b[1, 1], max(d2, 0.0)])
np.savetxt("bures_reference.csv", np.array(rows), delimiter=",", fmt="%.17g",
           header="a11,a12,a22,b11,b12,b22,bures2", comments="")
