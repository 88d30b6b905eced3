"""Reference numbers for FusedPairwiseJobTest: a small collection with feature tables and POT's fused GW per pair.

Writes collection/m00.npy ... m04.npy (distance matrices of noisy rings and bars, 8 to 14 points) with
collection/mKK.features.npy (even members) or .features.csv (odd members), 3 Gaussian feature columns, and
pot_fused_gw.csv: for every pair i < j, POT 0.8.2's ot.gromov.fused_gromov_wasserstein2 with M = ot.dist(Fi, Fj)
(squared Euclidean), uniform weights, square loss, alpha 0.3.

Run from this folder: /usr/bin/python3 fused_batch_reference.py   (Debian python3-pot 0.8.2, numpy)
"""
import os

import numpy as np
import ot

ALPHA = 0.3


def main():
    rng = np.random.RandomState(7)
    os.makedirs("collection", exist_ok=True)
    spaces, features = [], []
    for k in range(5):
        n = 8 + rng.randint(7)
        if k % 2 == 0:
            t = rng.rand(n) * 2 * np.pi
            x = np.c_[np.cos(t), np.sin(t)] + 0.05 * rng.randn(n, 2)
        else:
            x = np.c_[2 * rng.randn(n), 0.2 * rng.randn(n)]
        d = ot.dist(x, x, metric="euclidean")
        d = (d + d.T) / 2
        np.fill_diagonal(d, 0)
        f = rng.randn(n, 3)
        np.save("collection/m%02d.npy" % k, d)
        if k % 2 == 0:
            np.save("collection/m%02d.features.npy" % k, f)
        else:
            np.savetxt("collection/m%02d.features.csv" % k, f, delimiter=",", fmt="%.17g")
        spaces.append(d)
        features.append(f)
    lines = ["i,j,alpha,value"]
    for i in range(5):
        for j in range(i + 1, 5):
            m = ot.dist(features[i], features[j])
            p, q = ot.unif(len(spaces[i])), ot.unif(len(spaces[j]))
            v = ot.gromov.fused_gromov_wasserstein2(m, spaces[i], spaces[j], p, q, "square_loss", alpha=ALPHA)
            lines.append("%d,%d,%s,%.17g" % (i, j, ALPHA, v))
    with open("pot_fused_gw.csv", "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
