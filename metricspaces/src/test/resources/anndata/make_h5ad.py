#!/usr/bin/env python3
"""Writes the tiny AnnData (.h5ad) test files with h5py alone (the layout anndata >= 0.8 writes), so that the
Java tests need no Python. Run from this directory: python3 make_h5ad.py (Debian: apt-get install python3-h5py).

  dense.h5ad   X dense float32 4x3, obsm/X_pca float64 4x2, obs/cell_type categorical, obs/batch strings
  csr.h5ad     X CSR of the same matrix, obs/cell_type as old-style codes + obs/__categories/cell_type
  csc.h5ad     X CSC of the same matrix
  cells12-a.h5ad, cells12-b.h5ad  12 cells for the CLI: X (CSR) = feat-ok.csv, obsm/X_pca = feat-ok2.csv,
               obs/cell_type categorical a,b,a,b,...; written into ../../../../../cli/src/test/resources/bad-inputs/files
  vector.h5ad  (CLI) obsm/X_pca is 1-D, for the bad-input corpus
"""
import os
import h5py
import numpy as np

STR = h5py.string_dtype()
X = np.array([[1, 0, 2], [0, 0, 3], [4, 5, 0], [0, 6, 0]], dtype=np.float32)


def attrs(node, kind, version="0.1.0"):
    node.attrs["encoding-type"] = kind
    node.attrs["encoding-version"] = version


def categorical(obs, name, labels):
    cats = sorted(set(labels))
    g = obs.create_group(name)
    attrs(g, "categorical", "0.2.0")
    g.attrs["ordered"] = False
    g.create_dataset("categories", data=np.array(cats, dtype=object), dtype=STR)
    g.create_dataset("codes", data=np.array([cats.index(v) for v in labels], dtype=np.int8))


def obs_frame(f, n, columns):
    obs = f.create_group("obs")
    attrs(obs, "dataframe", "0.2.0")
    obs.attrs["_index"] = "_index"
    obs.attrs["column-order"] = np.array(columns, dtype=object)
    obs.create_dataset("_index", data=np.array([f"cell{i}" for i in range(n)], dtype=object), dtype=STR)
    return obs


def sparse(f, name, m, kind):
    import itertools
    g = f.create_group(name)
    attrs(g, kind + "_matrix")
    g.attrs["shape"] = np.array(m.shape, dtype=np.int64)
    mm = m if kind == "csr" else m.T
    data, indices, indptr = [], [], [0]
    for row in mm:
        for j, v in enumerate(row):
            if v != 0:
                data.append(v)
                indices.append(j)
        indptr.append(len(data))
    g.create_dataset("data", data=np.array(data, dtype=m.dtype))
    g.create_dataset("indices", data=np.array(indices, dtype=np.int32))
    g.create_dataset("indptr", data=np.array(indptr, dtype=np.int32))


def root(f):
    attrs(f, "anndata")


with h5py.File("dense.h5ad", "w") as f:
    root(f)
    f.create_dataset("X", data=X)
    f.create_group("obsm").create_dataset("X_pca", data=np.arange(8, dtype=np.float64).reshape(4, 2) / 4)
    obs = obs_frame(f, 4, ["cell_type", "batch"])
    categorical(obs, "cell_type", ["T", "B", "T", "NK"])
    obs.create_dataset("batch", data=np.array(["b1", "b1", "b2", "b2"], dtype=object), dtype=STR)

with h5py.File("csr.h5ad", "w") as f:
    root(f)
    sparse(f, "X", X, "csr")
    obs = obs_frame(f, 4, ["cell_type"])
    obs.create_dataset("cell_type", data=np.array([1, 0, 1, 2], dtype=np.int8))
    obs.create_group("__categories").create_dataset("cell_type", data=np.array(["B", "NK", "T"], dtype=object),
                                                    dtype=STR)

with h5py.File("csc.h5ad", "w") as f:
    root(f)
    sparse(f, "X", X, "csc")

cli = os.path.join("..", "..", "..", "..", "..", "cli", "src", "test", "resources", "bad-inputs", "files")


def table(name):
    return np.loadtxt(os.path.join(cli, name), delimiter=",", skiprows=1)


labels = ["a", "b"] * 6
for name, feat in (("cells12-a.h5ad", "feat-ok.csv"), ("cells12-b.h5ad", "feat-ok2.csv")):
    with h5py.File(os.path.join(cli, name), "w") as f:
        root(f)
        t = table(feat)
        sparse(f, "X", t, "csr")
        f.create_group("obsm").create_dataset("X_pca", data=t)
        categorical(obs_frame(f, 12, ["cell_type"]), "cell_type", labels)

with h5py.File(os.path.join(cli, "vector.h5ad"), "w") as f:
    root(f)
    f.create_group("obsm").create_dataset("X_pca", data=np.arange(12, dtype=np.float64))
