#!/usr/bin/python3
"""Test archives for NumpyArchivesTest and the CLI's bad-input corpus (numpy 1.24, scipy 1.10).

Run from this directory: /usr/bin/python3 make_npz.py   Writes beside itself:
  features.csv            a 7 x 5 table with zeros (the expected values, 17 significant digits)
  dense.npz               numpy.savez(f, features)                  one array, stored, named arr_0
  dense_named.npz         numpy.savez_compressed(f, x=features)     one array, deflated, named x
  several.npz             numpy.savez(f, a=features, b=features.T)  two arrays (refused without a key)
  sparse_csr.npz          scipy.sparse.save_npz(f, csr_matrix(features))            (deflated)
  sparse_csc.npz          scipy.sparse.save_npz(f, csc_matrix(features), compressed=False)
  sparse_coo.npz          scipy.sparse.save_npz(f, coo_matrix(features))             (refused: not csr/csc)
  distances.npz           numpy.savez(f, D) for the 6 x 6 distance matrix distances.csv
"""
import numpy as np
import scipy.sparse as sp

rng = np.random.default_rng(7)
F = rng.uniform(0.5, 3.0, (7, 5)) * (rng.uniform(size=(7, 5)) < 0.45)
F[0, 0] = 1.25  # no all-zero row
np.savetxt("features.csv", F, delimiter=",", fmt="%.17g")
np.savez("dense.npz", F)
np.savez_compressed("dense_named.npz", x=F)
np.savez("several.npz", a=F, b=F.T)
sp.save_npz("sparse_csr.npz", sp.csr_matrix(F))
sp.save_npz("sparse_csc.npz", sp.csc_matrix(F), compressed=False)
sp.save_npz("sparse_coo.npz", sp.coo_matrix(F))
x = rng.uniform(size=(6, 2))
D = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
np.savetxt("distances.csv", D, delimiter=",", fmt="%.17g")
np.savez("distances.npz", D)
