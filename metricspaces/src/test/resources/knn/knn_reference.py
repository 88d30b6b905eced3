#!/usr/bin/python3
"""Reference neighbours for KnnSearchTest: brute force with SciPy's cdist on a sparse count-like matrix.

Run from this directory with the system Python (numpy 1.24, scipy 1.10):  /usr/bin/python3 knn_reference.py
Writes, beside itself:
  knn_x.csv                       the 60 x 40 matrix (about 15 % non-zero, lognormal values: no distance ties)
  knn_<metric>_index.csv          for metric in euclidean, cosine, correlation: row i holds the 6 nearest other
                                  rows of row i (0-based), nearest first, ties by lower index
  knn_<metric>_distance.csv       the matching cdist(X, X, metric) values
Numbers are written with 17 significant digits.
"""
import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist

rng = np.random.default_rng(20261204)
n, d, k = 60, 40, 6
X = sp.random(n, d, density=0.15, random_state=rng, data_rvs=lambda s: rng.lognormal(0.0, 1.0, s)).toarray()
# every row needs two distinct entries for the correlation (and a non-zero one for the cosine)
for i in range(n):
    if np.count_nonzero(X[i]) < 2:
        X[i, rng.choice(d, 2, replace=False)] = rng.lognormal(0.0, 1.0, 2)
np.savetxt("knn_x.csv", X, delimiter=",", fmt="%.17g")
for metric in ["euclidean", "cosine", "correlation"]:
    D = cdist(X, X, metric)
    idx = np.zeros((n, k), dtype=int)
    dist = np.zeros((n, k))
    for i in range(n):
        order = sorted((D[i, j], j) for j in range(n) if j != i)[:k]
        idx[i] = [j for _, j in order]
        dist[i] = [v for v, _ in order]
    np.savetxt("knn_%s_index.csv" % metric, idx, delimiter=",", fmt="%d")
    np.savetxt("knn_%s_distance.csv" % metric, dist, delimiter=",", fmt="%.17g")
