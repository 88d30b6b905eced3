#!/usr/bin/python3
"""Reference numbers for LowRankGromovWassersteinTest.

POT 0.8.2 (the version installed here) has no low-rank GW, so this is a literal numpy implementation of the
updates of Scetbon, Cuturi, Peyre (ICML 2022), Algorithms 2 (LR-Dykstra) and 3 (mirror descent), written as POT 0.9's
ot.gromov.lowrank_gromov_wasserstein_samples does them (gamma_init="rescale", reg = 0): dense n x n cost matrices,
plain-domain exponentials (no shifts), and the GW value sum_{i,i',j,j'} (A_ii' - B_jj')^2 P_ij P_i'j' (no 1/2) formed
from the dense plan P = Q diag(1/g) R^T by the 4-index identity, independently of the Java code's linear-memory
formula. The start is a deterministic formula (below) that the test rebuilds, instead of POT's random one.

Run from this directory: /usr/bin/python3 lowrank_gw_reference.py   (writes lowrank_gw_x.csv, lowrank_gw_y.csv, lowrank_gw_reference.csv)
"""
import numpy as np

rng = np.random.default_rng(22)
X = rng.uniform(size=(30, 2))
Y = rng.uniform(size=(25, 3))
np.savetxt("lowrank_gw_x.csv", X, delimiter=",", fmt="%.17g")
np.savetxt("lowrank_gw_y.csv", Y, delimiter=",", fmt="%.17g")


def sqdist(Z):
    n = (Z ** 2).sum(1)
    return n[:, None] + n[None, :] - 2 * Z @ Z.T


def start(n, m, r, a, b):
    i = np.arange(n)[:, None]
    j = np.arange(m)[:, None]
    k = np.arange(r)[None, :]
    cq = 1 + ((7 * i + 3 * k) % 5) / 4.0
    cr = 1 + ((5 * j + 2 * k) % 7) / 6.0
    g = 1.0 + np.arange(r) % 3
    return a[:, None] * cq / cq.sum(1, keepdims=True), b[:, None] * cr / cr.sum(1, keepdims=True), g / g.sum()


def dykstra(K1, K2, K3, p1, p2, alpha, thr, maxit):
    r = len(K3)
    g_ = K3.copy()
    q3_1, q3_2, v1_, v2_, q1, q2 = (np.ones(r) for _ in range(6))
    err = 1
    it = 0
    for _ in range(maxit):
        if err > thr:
            it += 1
            u1 = p1 / (K1 @ v1_)
            u2 = p2 / (K2 @ v2_)
            g = np.maximum(alpha, g_ * q3_1)
            q3_1 = (g_ * q3_1) / g
            g_ = g.copy()
            prod1 = (v1_ * q1) * (K1.T @ u1)
            prod2 = (v2_ * q2) * (K2.T @ u2)
            g = (g_ * q3_2 * prod1 * prod2) ** (1 / 3)
            v1 = g / (K1.T @ u1)
            v2 = g / (K2.T @ u2)
            q1 = (v1_ * q1) / v1
            q2 = (v2_ * q2) / v2
            q3_2 = (g_ * q3_2) / g
            v1_, v2_ = v1.copy(), v2.copy()
            g_ = g.copy()
            err = np.abs(u1 * (K1 @ v1) - p1).sum() + np.abs(u2 * (K2 @ v2) - p2).sum()
        else:
            break
    return u1[:, None] * K1 * v1[None, :], u2[:, None] * K2 * v2[None, :], g, it


def kl(a, b):
    return (a * np.log(a / b) - a + b).sum()


def lowrank_gw(A, B, a, b, r, maxit, thr=1e-4, alpha=1e-10, thr_d=1e-7, maxit_d=2000):
    Q, R, g = start(len(a), len(b), r, a, b)
    err = 1
    its = 0
    for _ in range(maxit):
        Qp, Rp, gp = Q, R, g
        if err > thr:
            its += 1
            C1 = -4 * A @ (Q / g[None, :])
            C2 = R.T @ B
            CR_g = (C1 @ (C2 @ R)) / g[None, :]
            CQ_g = (C2.T @ (C1.T @ Q)) / g[None, :]
            omega = np.diag(Q.T @ (C1 @ (C2 @ R)))
            gamma = 10 / max(np.abs(CR_g).max() ** 2, np.abs(CQ_g).max() ** 2, np.abs(omega / g ** 2).max() ** 2)
            K1 = np.exp(-gamma * CR_g + np.log(Q))
            K2 = np.exp(-gamma * CQ_g + np.log(R))
            K3 = np.exp(gamma * omega / g ** 2 + np.log(g))
            Q, R, g, _ = dykstra(K1, K2, K3, a, b, alpha, thr_d, maxit_d)
            err = (kl(Q, Qp) + kl(Qp, Q) + kl(R, Rp) + kl(Rp, R) + kl(g, gp) + kl(gp, g)) / gamma ** 2
            Q, R, g = Q + 1e-16, R + 1e-16, g + 1e-16
        else:
            break
    P = Q @ np.diag(1 / g) @ R.T
    ph, qh = P.sum(1), P.sum(0)
    value = ph @ (A ** 2) @ ph + qh @ (B ** 2) @ qh - 2 * np.sum((A @ P @ B) * P)
    # the 4-index sum itself, as a check of the identity above
    L = (A[:, None, :, None] - B[None, :, None, :]) ** 2  # (i, j, i', j')
    direct = np.einsum("ijkl,ij,kl->", L, P, P)
    assert abs(direct - value) <= 1e-12 * max(1.0, abs(value)), (direct, value)
    return direct, its, g, np.abs(ph - a).sum() + np.abs(qh - b).sum()


A, B = sqdist(X), sqdist(Y)
a, b = np.full(30, 1 / 30), np.full(25, 1 / 25)
rows = []
# POT's default threshold 1e-4 on its gamma^-2-scaled change stops after a few steps here; smaller ones run on
for r, maxit, thr in [(3, 1000, 1e-4), (3, 300, 1e-12), (8, 300, 1e-12), (20, 100, 1e-12)]:
    value, its, g, merr = lowrank_gw(A, B, a, b, r, maxit, thr=thr)
    rows.append((r, maxit, thr, its, value, merr, g.min(), g.max()))
    print(r, maxit, thr, its, value, merr)
with open("lowrank_gw_reference.csv", "w") as f:
    f.write("rank,max_iterations,tolerance,iterations,value,marginal_error,g_min,g_max\n")
    for row in rows:
        f.write("%d,%d,%.17g,%d,%.17g,%.17g,%.17g,%.17g\n" % row)

# for comparison only (not read by the test): POT 0.8.2 full-rank GW on the same squared distances, times 2
# (POT 0.8.2 square_loss carries a 1/2)
import ot
print("POT 0.8.2 gromov_wasserstein2 (CG):", ot.gromov.gromov_wasserstein2(A, B, a, b, "square_loss") * 2)
print("POT 0.8.2 entropic_gromov_wasserstein2 eps=1e-3:",
      2 * ot.gromov.entropic_gromov_wasserstein2(A, B, a, b, "square_loss", epsilon=1e-3, max_iter=2000))
