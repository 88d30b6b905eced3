#!/usr/bin/env python3
"""Reference k-NN graph geodesics for KnnGraphReferenceTest (gwembed, metricspaces module).

An implementation independent of the Java code, with NumPy and SciPy only (scikit-learn is not needed): it
re-implements scikit-learn's ``kneighbors_graph(X, k, mode, metric, include_self)`` on top of
``scipy.spatial.distance.cdist`` and runs ``scipy.sparse.csgraph.dijkstra(G, directed=False)`` on it, as SCOT's
``utils.get_graph_distance_matrix`` does, then SCOT's rule for unreachable pairs (largest finite value).

kneighbors_graph semantics reproduced here:
  * include_self=False: the k nearest points other than the point itself;
  * include_self=True: the point itself counts as its first neighbour, so only k - 1 others;
  * mode='distance': edge weight = metric distance; mode='connectivity': weight 1;
  * ties in distance are broken by the lower index (scikit-learn leaves the order of ties unspecified; the
    Java code documents this rule).
dijkstra(directed=False) uses the smaller of the weights of (i, j) and (j, i).

Run from this directory:  python3 knn_reference.py
It writes, beside itself (values as Python repr, which round-trips exactly):
  knn_points.csv        the 40 x 5 point set (numpy default_rng(20250607), standard normal)
  knn_euclidean_k5.csv  Euclidean preset: Euclidean metric and weights, self excluded, k = 5
  knn_scot_k5.csv       SCOT preset: l2-normalised rows, correlation, connectivity, self included, k = 5
  knn_scot_k2.csv       SCOT preset with k = 2 (one other neighbour each: the graph is disconnected, tests the largest-finite rule)
Geodesics are not normalised.
"""
import os

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial.distance import cdist

HERE = os.path.dirname(os.path.abspath(__file__))


def kneighbors_graph(x, k, mode, metric, include_self):
    n = x.shape[0]
    d = cdist(x, x, metric=metric)
    rows, cols, vals = [], [], []
    for i in range(n):
        others = np.array([j for j in range(n) if j != i])
        order = np.lexsort((others, d[i, others]))  # by distance, then by index
        m = k - 1 if include_self else k
        chosen = list(others[order[:m]])
        if include_self:
            chosen = [i] + chosen
        for j in chosen:
            rows.append(i)
            cols.append(j)
            vals.append(1.0 if mode == "connectivity" else d[i, j])
    return csr_matrix((vals, (rows, cols)), shape=(n, n))


def geodesics(x, k, mode, metric, include_self, l2_normalize):
    if l2_normalize:
        norms = np.sqrt(np.einsum("ij,ij->i", x, x))
        norms[norms == 0] = 1
        x = x / norms[:, None]
    g = kneighbors_graph(x, k, mode, metric, include_self)
    ncomp, _ = connected_components(g, directed=False)
    sp = dijkstra(csgraph=g, directed=False, return_predecessors=False)
    largest = np.nanmax(sp[sp != np.inf])
    sp[sp > largest] = largest
    return sp, ncomp


def write(name, a):
    with open(os.path.join(HERE, name), "w", newline="\n") as f:
        for row in np.atleast_2d(a):
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    rng = np.random.default_rng(20250607)
    x = rng.standard_normal((40, 5))
    write("knn_points.csv", x)
    # Read back what was written, so that the references are computed from exactly the committed points.
    x = np.loadtxt(os.path.join(HERE, "knn_points.csv"), delimiter=",")
    cases = {
        "knn_euclidean_k5.csv": dict(k=5, mode="distance", metric="euclidean", include_self=False,
                                     l2_normalize=False),
        "knn_scot_k5.csv": dict(k=5, mode="connectivity", metric="correlation", include_self=True,
                                l2_normalize=True),
        "knn_scot_k2.csv": dict(k=2, mode="connectivity", metric="correlation", include_self=True,
                                l2_normalize=True),
    }
    for name, kw in cases.items():
        sp, ncomp = geodesics(x, **kw)
        write(name, sp)
        print(f"{name}: {ncomp} component(s), max {float(sp.max())!r}")


if __name__ == "__main__":
    main()
