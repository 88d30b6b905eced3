#!/usr/bin/env python3
"""Reference numbers for CollectionMetricsTest (gwembed, embedding module).

Independent of the Java code; NumPy and SciPy only (scikit-learn is not needed):
  * silhouette: scikit-learn's silhouette_samples(D, labels, metric="precomputed") re-implemented with NumPy:
    a_i = mean distance to the other members of i's class, b_i = smallest mean distance to another class,
    s_i = (b_i - a_i) / max(a_i, b_i), s_i = 0 for a member alone in its class; the score is the mean of s_i;
  * leave-one-out 1-NN accuracy: np.argmin over the row with the diagonal set to +inf (ties: the first index);
  * average linkage: scipy.cluster.hierarchy.linkage(squareform(D), method="average") and leaves_list of it.

Run from this directory:  python3 collection_metrics_reference.py
It writes, beside itself (values as Python repr, which round-trips exactly):
  collection_<case>_distances.csv  the n x n distance matrix
  collection_<case>_labels.csv     one integer label per line
  collection_<case>_linkage.csv    SciPy's (n - 1) x 4 linkage matrix
  collection_metrics_reference.csv case,n,silhouette,nn_accuracy,leaves (leaves space separated)
Cases (numpy default_rng(20261204)):
  blobs     30 points in the plane, 3 Gaussian blobs of 10 (sd 0.6, centres 2 apart), Euclidean
  mixed     25 points in R^5 (standard normal), 4 labels drawn at random, the last point alone in label 9
  overlap   40 points in R^3, 4 blobs of 10 with sd 1.5 around centres 1 apart (classes overlap), cityblock
"""
import os

import numpy as np
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import cdist, squareform

HERE = os.path.dirname(os.path.abspath(__file__))


def silhouette(d, labels):
    n = len(labels)
    classes = np.unique(labels)
    s = np.zeros(n)
    for i in range(n):
        own = labels == labels[i]
        if own.sum() == 1:
            s[i] = 0.0
            continue
        a = d[i, own].sum() / (own.sum() - 1)  # the diagonal is 0
        b = min(d[i, labels == c].mean() for c in classes if c != labels[i])
        s[i] = (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return s.mean()


def nn_accuracy(d, labels):
    e = d.copy()
    np.fill_diagonal(e, np.inf)
    return float(np.mean(labels[np.argmin(e, axis=1)] == labels))


def write_matrix(name, m):
    with open(os.path.join(HERE, name), "w") as f:
        for row in np.atleast_2d(m):
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    rng = np.random.default_rng(20261204)
    cases = {}
    centres = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])
    x = np.vstack([c + 0.6 * rng.standard_normal((10, 2)) for c in centres])
    cases["blobs"] = (cdist(x, x), np.repeat(np.arange(3), 10))
    x = rng.standard_normal((25, 5))
    labels = rng.integers(0, 4, 25)
    labels[-1] = 9
    cases["mixed"] = (cdist(x, x), labels)
    centres = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    x = np.vstack([c + 1.5 * rng.standard_normal((10, 3)) for c in centres])
    cases["overlap"] = (cdist(x, x, metric="cityblock"), np.repeat(np.arange(4), 10))
    rows = ["case,n,silhouette,nn_accuracy,leaves"]
    for name, (d, labels) in cases.items():
        d = (d + d.T) / 2
        np.fill_diagonal(d, 0.0)
        z = linkage(squareform(d, checks=False), method="average")
        write_matrix(f"collection_{name}_distances.csv", d)
        with open(os.path.join(HERE, f"collection_{name}_labels.csv"), "w") as f:
            f.write("\n".join(str(int(v)) for v in labels) + "\n")
        write_matrix(f"collection_{name}_linkage.csv", z)
        leaves = " ".join(str(int(v)) for v in leaves_list(z))
        rows.append(f"{name},{len(labels)},{float(silhouette(d, labels))!r},{nn_accuracy(d, labels)!r},{leaves}")
    with open(os.path.join(HERE, "collection_metrics_reference.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
