# How low can the symmetric FOSCTTM (ties count 1/2) go on SNAREseq and scGEM? Supervised ceilings for
# docs/single-cell-study.md: every predictor below is *given the true pairs of half the cells* (5 random halves,
# seeds 0..4) and scored on the other half, so no unsupervised alignment can be expected to beat them by much.
#   python3 docs/single-cell-ceilings.py [DATA_DIR]     (default ../shared/data; numpy only)
import sys
import numpy as np

d = (sys.argv[1] if len(sys.argv) > 1 else '../shared/data') + '/'
sets = {'snareseq': (np.load(d + 'snareseq/SNAREseq_atac_feat.npy'), np.load(d + 'snareseq/SNAREseq_rna_feat.npy'),
                     np.loadtxt(d + 'snareseq/SNAREseq_atac_types.txt')),
        'scgem': (np.genfromtxt(d + 'scgem/scGEM_expression.csv', delimiter=','),
                  np.genfromtxt(d + 'scgem/scGEM_methylation.csv', delimiter=','),
                  np.loadtxt(d + 'scgem/scGEM_typeExpression.txt'))}


def fos(a, b, strict=False):
    """Symmetric FOSCTTM; ties count 1/2 (gwembed's AlignmentMetrics) or 0 (strict, SCOT's and JMDS's count)."""
    D = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    n = len(a)
    own = np.diag(D)
    t = 0 if strict else 0.5
    f = ((D < own[:, None]).sum(1) + t * ((D == own[:, None]).sum(1) - 1)) / (n - 1)
    g = ((D < own[None, :]).sum(0) + t * ((D == own[None, :]).sum(0) - 1)) / (n - 1)
    return (f.mean() + g.mean()) / 2


def nrm(A):
    return A / np.linalg.norm(A, axis=1, keepdims=True)


def cca(A, B, reg=1e-3):
    A = A - A.mean(0)
    B = B - B.mean(0)
    Caa = A.T @ A / len(A) + reg * np.eye(A.shape[1])
    Cbb = B.T @ B / len(B) + reg * np.eye(B.shape[1])
    Cab = A.T @ B / len(A)

    def isqrt(C):
        w, V = np.linalg.eigh(C)
        return V @ np.diag(w ** -0.5) @ V.T

    Ka, Kb = isqrt(Caa), isqrt(Cbb)
    U, s, Vt = np.linalg.svd(Ka @ Cab @ Kb)
    return Ka @ U, Kb @ Vt.T, s


for name, (X, Y, lab) in sets.items():
    n = len(X)
    lab = lab.astype(int)
    onehot = np.eye(lab.max() + 1)[lab]
    print('%s: labels only (every cell at its class centroid): ties 1/2 %.3f, strict count %.3f'
          % (name, fos(onehot, onehot), fos(onehot, onehot, True)))
    A, B = nrm(X), nrm(Y)
    res = {}
    for seed in range(5):
        p = np.random.default_rng(seed).permutation(n)
        tr, te = p[:n // 2], p[n // 2:]
        Bt = np.c_[B, np.ones(n)]
        W = np.linalg.lstsq(Bt[tr], A[tr], rcond=None)[0]
        At = np.c_[A, np.ones(n)]
        W2 = np.linalg.lstsq(At[tr], B[tr], rcond=None)[0]
        DB = np.sqrt(((B[te][:, None] - B[tr][None]) ** 2).sum(-1))
        idx = np.argsort(DB, 1)[:, :10]
        res.setdefault('linear regression y->x', []).append(fos(A[te], Bt[te] @ W))
        res.setdefault('linear regression x->y', []).append(fos(At[te] @ W2, B[te]))
        res.setdefault('10-NN regression y->x', []).append(fos(A[te], A[tr][idx].mean(1)))
        Wa, Wb, s = cca(A[tr], B[tr])
        for dd in (2, 3, 5):
            res.setdefault('CCA, %d dims' % dd, []).append(
                fos((A[te] - A[tr].mean(0)) @ Wa[:, :dd], (B[te] - B[tr].mean(0)) @ Wb[:, :dd]))
    print('%s: supervised on half the pairs (l2-normalised rows), mean test FOSCTTM over 5 halves:' % name)
    for k, v in res.items():
        print('  %-24s %.3f' % (k, np.mean(v)))
    print('  canonical correlations (seed 4):', np.round(s[:6], 2))
