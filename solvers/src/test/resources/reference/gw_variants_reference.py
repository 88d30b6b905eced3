#!/usr/bin/python3
"""Reference values for GromovVariantsTest: fused, entropic fused and semi-relaxed Gromov-Wasserstein.

Run from this directory with the system Python that has POT:  /usr/bin/python3 gw_variants_reference.py

POT 0.8.2 (python3-pot of Debian 12) is the installed version:
  * fused GW (conditional gradient): POT 0.8.2's own ot.gromov.fused_gromov_wasserstein, square loss,
    armijo=False (exact line search), default thresholds.
  * partial GW: POT 0.8.2's own ot.partial.partial_gromov_wasserstein (nb_dummies=1, default thresholds) at the
    mass m of PROBLEMS; its value partial_gw_dist carries a factor 1/2 (gwloss_partial), value_own_marginals
    below does not.
  * entropic fused GW, semi-relaxed GW and entropic semi-relaxed GW are not in POT 0.8.2 (they came with POT 0.9).
    They are implemented below literally from POT's source (PythonOT/POT master, version 0.9.7.dev0:
    ot/gromov/_bregman.py entropic_fused_gromov_wasserstein with solver="PGD", warmstart=False;
    ot/gromov/_semirelaxed.py semirelaxed_gromov_wasserstein with ot/optim.py semirelaxed_cg and
    generic_conditional_gradient, and entropic_semirelaxed_gromov_wasserstein), for the
    square loss and symmetric matrices, on top of POT 0.8.2's ot.sinkhorn and ot.gromov.init_matrix/gwloss/gwggrad
    (which are unchanged for the square loss). Names and the order of operations follow the POT source.

It (re)writes, beside itself, for each problem <name> in {uniform, weighted}:
  gwv_<name>_C1.csv (n x n), gwv_<name>_C2.csv (m x m)   Euclidean structure distances scaled to max 1
  gwv_<name>_M.csv (n x m)                              squared Euclidean feature distances scaled to max 1
  gwv_<name>_p.csv, gwv_<name>_q.csv                     marginals (one value per line)
  gwv_<name>_plan_<run>.csv                             plans, run in {fgw, efgw, srgw, esrgw, pgw}
and gwv_reference_values.csv with one line per run: problem,method,alpha,epsilon,value,value_own_marginals,
iterations,row_marginal_l1,col_marginal_l1. value is POT's (for the entropic run formed, as POT does, with the
target marginals p, q); value_own_marginals is (1 - alpha) <M, T> + alpha * sum (C1_ii' - C2_kk')^2 T_ik T_i'k' at the
same plan with its own marginals (gwembed's convention, never below 0); iterations: conditional-gradient steps,
or the entropic outer iterations.
Also gwneg_C1.csv, gwneg_C2.csv (9 x 9) and gwneg_values.csv: a problem on which POT 0.8.2's own
entropic_gromov_wasserstein returns a negative gw_dist (POT issue #406): two copies of one 4-nearest-neighbour hop
graph, uniform weights, at a small epsilon, where POT's plan is a permutation and its value, formed as
gwloss(constC, hC1, hC2, T), cancels to -1.5e-16 (the 4-index sum is a sum of non-negative terms). The case was
found by a random search over small problems (hop graphs, rounded Euclidean distances, copies of hop graphs;
n <= 30, uniform weights, epsilon log-uniform over 1e-4..3e-2 times the largest squared distance; 510 runs) in
which it was one of two negative values, both of this round-off kind; it is rebuilt here from its seed.
Numbers are written with 17 significant digits; BLAS runs single-threaded so reruns are bit-identical.
"""
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import ot  # noqa: E402
from ot.gromov import init_matrix, gwloss, gwggrad  # noqa: E402
from ot.optim import solve_1d_linesearch_quad  # noqa: E402

assert ot.__version__ == "0.8.2", ot.__version__
HERE = os.path.dirname(os.path.abspath(__file__))

# problem -> (n, m, alpha of fused GW, epsilon of entropic fused GW); mass of partial GW below
PROBLEMS = [("uniform", 20, 25, 0.5, 5e-3), ("weighted", 18, 22, 0.3, 1e-2)]
PARTIAL_MASS = {"uniform": 0.7, "weighted": 0.45}


def distances(x):
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    return d / d.max()


def write_matrix(name, a):
    a = np.atleast_2d(a)
    with open(os.path.join(HERE, name), "w") as f:
        for row in a:
            f.write(",".join("%.17g" % v for v in row) + "\n")


def write_vector(name, v):
    with open(os.path.join(HERE, name), "w") as f:
        for x in v:
            f.write("%.17g\n" % x)


# ----------------------------------------------------------------------------------------------------------------
# entropic_fused_gromov_wasserstein of POT 0.9.7.dev0 (solver="PGD", warmstart=False, symmetric, square loss)

def entropic_fused_gromov_wasserstein(M, C1, C2, p, q, epsilon, alpha, max_iter=1000, tol=1e-9):
    T = np.outer(p, q)
    constC, hC1, hC2 = init_matrix(C1, C2, p, q, "square_loss")
    cpt = 0
    err = 1
    while err > tol and cpt < max_iter:
        Tprev = T
        tens = alpha * gwggrad(constC, hC1, hC2, T) + (1 - alpha) * M
        T = ot.sinkhorn(p, q, tens, epsilon, method="sinkhorn")
        if cpt % 10 == 0:
            err = np.linalg.norm(T - Tprev)
        cpt += 1
    fgw_dist = (1 - alpha) * np.sum(M * T) + alpha * gwloss(constC, hC1, hC2, T)
    return T, fgw_dist, cpt


# ----------------------------------------------------------------------------------------------------------------
# semirelaxed_gromov_wasserstein of POT 0.9.7.dev0 (symmetric, square loss, G0 = p 1^T / m, max_iter = 1e4)

def init_matrix_semirelaxed(C1, C2, p):
    fC1, fC2, hC1, hC2 = C1 ** 2, C2 ** 2, C1, 2 * C2
    constC = np.dot(np.dot(fC1, p.reshape(-1, 1)), np.ones((1, C2.shape[0])))
    return constC, hC1, hC2, fC2.T


def solve_semirelaxed_gromov_linesearch(G, deltaG, cost_G, C1, C2, ones_p, M, reg, fC2t):
    qG, qdeltaG = np.sum(G, 0), np.sum(deltaG, 0)
    dot = np.dot(np.dot(C1, deltaG), C2.T)
    dot_qG = np.dot(np.outer(ones_p, qG), fC2t)
    dot_qdeltaG = np.dot(np.outer(ones_p, qdeltaG), fC2t)
    a = reg * np.sum((dot_qdeltaG - dot) * deltaG)
    b = np.sum(M * deltaG) + reg * (np.sum((dot_qdeltaG - dot) * G)
                                    + np.sum((dot_qG - np.dot(np.dot(C1, G), C2.T)) * deltaG))
    # POT 0.9's solve_1d_linesearch_quad(a, b) is 0.8.2's with the unused c: same result
    alpha = solve_1d_linesearch_quad(a, b, 0.0)
    cost_G = cost_G + a * (alpha ** 2) + b * alpha
    return alpha, 1, cost_G


def semirelaxed_gromov_wasserstein(C1, C2, p, max_iter=1e4, tol_rel=1e-9, tol_abs=1e-9, G0=None):
    q = ot.unif(C2.shape[0])
    G = np.outer(p, q) if G0 is None else G0.copy()
    constC, hC1, hC2, fC2t = init_matrix_semirelaxed(C1, C2, p)
    ones_p = np.ones(p.shape[0])

    def f(G):
        qG = np.sum(G, 0)
        marginal_product = np.outer(ones_p, np.dot(qG, fC2t))
        return gwloss(constC + marginal_product, hC1, hC2, G)

    def df(G):
        qG = np.sum(G, 0)
        marginal_product = np.outer(ones_p, np.dot(qG, fC2t))
        return gwggrad(constC + marginal_product, hC1, hC2, G)

    def lp_solver(a, Mi):
        min_ = np.reshape(np.min(Mi, axis=1), (-1, 1))
        Gc = np.ones(1) * (Mi <= min_ + 1e-15)
        Gc *= np.reshape((a / np.sum(Gc, axis=1)), (-1, 1))
        return Gc

    # generic_conditional_gradient with M = 0, reg1 = 1, reg2 = None
    M, reg1 = 0.0, 1.0
    cost_G = np.sum(M * G) + reg1 * f(G)
    loss = [cost_G]
    it = 0
    loop = 1
    while loop:
        it += 1
        old_cost_G = cost_G
        df_G = df(G)
        Mi = M + reg1 * df_G
        Gc = lp_solver(p, Mi)
        deltaG = Gc - G
        alpha, fc, cost_G = solve_semirelaxed_gromov_linesearch(G, deltaG, cost_G, hC1, hC2, ones_p, M=0.0,
                                                                reg=1.0, fC2t=fC2t)
        G = G + alpha * deltaG
        if it >= max_iter:
            loop = 0
        abs_delta_cost_G = abs(cost_G - old_cost_G)
        relative_delta_cost_G = abs_delta_cost_G / abs(cost_G) if cost_G != 0.0 else np.nan
        if relative_delta_cost_G < tol_rel or abs_delta_cost_G < tol_abs:
            loop = 0
        loss.append(cost_G)
    return G, loss[-1], it


# ----------------------------------------------------------------------------------------------------------------
# entropic_semirelaxed_gromov_wasserstein of POT 0.9.7.dev0 (symmetric, square loss, G0 = p 1^T / m)

def entropic_semirelaxed_gromov_wasserstein(C1, C2, p, epsilon, max_iter=1e4, tol=1e-9):
    q = ot.unif(C2.shape[0])
    G0 = np.outer(p, q)
    constC, hC1, hC2, fC2t = init_matrix_semirelaxed(C1, C2, p)
    ones_p = np.ones(p.shape[0])

    def df(G):
        qG = np.sum(G, 0)
        marginal_product = np.outer(ones_p, np.dot(qG, fC2t))
        return gwggrad(constC + marginal_product, hC1, hC2, G)

    cpt = 0
    err = 1e15
    G = G0
    while err > tol and cpt < max_iter:
        Gprev = G
        K = G * np.exp(-df(G) / epsilon)
        scaling = p / np.sum(K, 1)
        G = np.reshape(scaling, (-1, 1)) * K
        if cpt % 10 == 0:
            err = np.linalg.norm(G - Gprev)
        cpt += 1
    qG = np.sum(G, 0)
    marginal_product = np.outer(ones_p, np.dot(qG, fC2t))
    srgw_dist = gwloss(constC + marginal_product, hC1, hC2, G)
    return G, srgw_dist, cpt


# ----------------------------------------------------------------------------------------------------------------
# POT 0.8.2's entropic GW reporting a negative value

def hop_distances(x, k):
    """Shortest-path hop counts in the symmetrised k-nearest-neighbour graph of the rows of x."""
    from scipy.sparse.csgraph import shortest_path
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    n = len(x)
    adjacency = np.zeros((n, n))
    nearest = np.argsort(d, 1)[:, 1:k + 1]
    for i in range(n):
        adjacency[i, nearest[i]] = 1
    adjacency = np.maximum(adjacency, adjacency.T)
    return shortest_path(adjacency, unweighted=True)


def negative_case():
    # the draws of the search that found it, in its order (sizes, kind, points, permutation, k, epsilon)
    rng = np.random.RandomState(884272587)
    n = int(rng.randint(8, 31))
    rng.randint(8, 31)
    assert rng.randint(3) == 2
    x = rng.rand(n, 2)
    perm = rng.permutation(n)
    C1 = hop_distances(x, int(rng.randint(2, 6)))
    C2 = C1[perm][:, perm]
    eps = max(C1.max(), C2.max()) ** 2 * 10 ** rng.uniform(-4, -1.5)
    p = q = ot.unif(n)
    T, log = ot.gromov.entropic_gromov_wasserstein(C1, C2, p, q, "square_loss", eps, log=True)
    four_index = sum((C1[i, i2] - C2[k, k2]) ** 2 * T[i, k] * T[i2, k2]
                     for i in range(n) for i2 in range(n) for k in range(n) for k2 in range(n))
    write_matrix("gwneg_C1.csv", C1)
    write_matrix("gwneg_C2.csv", C2)
    with open(os.path.join(HERE, "gwneg_values.csv"), "w") as f:
        # last column: how far each row's largest entry is from 1/n (0 for a permutation plan)
        f.write("epsilon,pot_gw_dist,four_index_sum_at_pot_plan,max_row_peak_deviation\n")
        f.write("%.17g,%.17g,%.17g,%.3g\n" % (eps, log["gw_dist"], four_index, np.abs(T.max(1) - 1.0 / n).max()))
    assert log["gw_dist"] < 0, log["gw_dist"]


def main():
    rng = np.random.RandomState(20261203)
    lines = ["problem,method,alpha,epsilon,value,value_own_marginals,iterations,row_marginal_l1,col_marginal_l1"]

    def record(name, method, alpha, eps, value, iterations, T, p, q):
        own = (1 - alpha) * np.sum(M * T) + alpha * gwloss(*init_matrix(C1, C2, T.sum(1), T.sum(0), "square_loss"), T)
        lines.append("%s,%s,%s,%s,%.17g,%.17g,%d,%.3g,%.3g" % (name, method, alpha, eps, value, own, iterations,
                     np.abs(T.sum(1) - p).sum(), np.abs(T.sum(0) - q).sum()))

    for name, n, m, alpha, eps in PROBLEMS:
        x = rng.randn(n, 2) * np.array([1.0, 0.6])
        y = rng.randn(m, 3) * np.array([1.0, 0.7, 0.4])
        fx = rng.randn(n, 2)
        fy = rng.randn(m, 2) + 0.3
        C1, C2 = distances(x), distances(y)
        M = ot.dist(fx, fy)
        M /= M.max()
        if name == "uniform":
            p, q = ot.unif(n), ot.unif(m)
        else:
            p = rng.uniform(0.5, 1.5, n)
            p /= p.sum()
            q = rng.uniform(0.5, 1.5, m)
            q /= q.sum()
        write_matrix("gwv_%s_C1.csv" % name, C1)
        write_matrix("gwv_%s_C2.csv" % name, C2)
        write_matrix("gwv_%s_M.csv" % name, M)
        write_vector("gwv_%s_p.csv" % name, p)
        write_vector("gwv_%s_q.csv" % name, q)

        # fused GW: POT 0.8.2 itself
        T, log = ot.gromov.fused_gromov_wasserstein(M, C1, C2, p, q, "square_loss", alpha=alpha, log=True)
        write_matrix("gwv_%s_plan_fgw.csv" % name, T)
        record(name, "fgw", alpha, 0, log["fgw_dist"], len(log["loss"]) - 1, T, p, q)

        # entropic fused GW: POT 0.9.7.dev0's loop on POT 0.8.2's Sinkhorn
        T, value, cpt = entropic_fused_gromov_wasserstein(M, C1, C2, p, q, eps, alpha)
        write_matrix("gwv_%s_plan_efgw.csv" % name, T)
        record(name, "efgw", alpha, eps, value, cpt, T, p, q)

        # semi-relaxed GW: POT 0.9.7.dev0's conditional gradient, column marginal free (q only for the start)
        T, value, it = semirelaxed_gromov_wasserstein(C1, C2, p)
        write_matrix("gwv_%s_plan_srgw.csv" % name, T)
        record(name, "srgw", 1, 0, value, it, T, p, T.sum(0))

        # entropic semi-relaxed GW: POT 0.9.7.dev0's mirror descent, at the epsilon of the entropic fused run
        T, value, cpt = entropic_semirelaxed_gromov_wasserstein(C1, C2, p, eps)
        write_matrix("gwv_%s_plan_esrgw.csv" % name, T)
        record(name, "esrgw", 1, eps, value, cpt, T, p, T.sum(0))

        # partial GW: POT 0.8.2 itself (iterations: the number of its plan-change checks); the epsilon column
        # holds the mass m, the marginal columns the excess over p and q
        mass = PARTIAL_MASS[name]
        T, log = ot.partial.partial_gromov_wasserstein(C1, C2, p, q, m=mass, log=True)
        write_matrix("gwv_%s_plan_pgw.csv" % name, T)
        record(name, "pgw", 1, mass, log["partial_gw_dist"], len(log["err"]), T, np.minimum(T.sum(1), p),
               np.minimum(T.sum(0), q))
    with open(os.path.join(HERE, "gwv_reference_values.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    negative_case()


if __name__ == "__main__":
    main()
