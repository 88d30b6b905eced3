package org.gwembed.embedding;

import java.util.Arrays;

import org.gwembed.core.Parallel;

/**
 * JointMDS's fixed-iteration log-domain Sinkhorn ({@code utils/ot_utils.sinkhorn} with {@code return_v=True}),
 * computed with kernel absorption. For a cost {@code C} ({@code m × n}, stored transposed as {@code costT},
 * {@code n × m} row-major), marginals {@code a}, {@code b} and the row potential {@code v} (log units; warm start,
 * kept between calls until {@link #reset()}), each iteration is
 * <pre>
 *   u_j = log b_j − logsumexp_i (v_i − C_ij/ε),    v_i = log a_i − logsumexp_j (u_j − C_ij/ε),
 * </pre>
 * and the plan is {@code P_ij = exp(u_j + v_i − C_ij/ε)}.
 *
 * <p><b>How.</b> The first {@code u} update of a call is done in the log domain and, in the same pass, absorbs the
 * potentials into the kernel {@code K̃_ij = exp(v_i − C_ij/ε − M_j)} with {@code M_j = max_i (v_i − C_ij/ε)} (every
 * column's largest entry is 1). After that {@code exp(u_j) ∝ s_j = b_j / (K̃ᵀ r)_j} and
 * {@code exp(v_i) ∝ r_i = a_i / (K̃ s)_i} are matrix-vector products (plain parallel Java loops: memory-bound, and
 * measured faster here than the JNI {@code dgemv}) and the plan is
 * {@code r_i K̃_ij s_j}: one exponential per entry and call instead of one per entry and half-iteration. When a
 * scaling leaves {@code [1e-200, 1e200]} (or a sum vanishes) that update is redone in the log domain and the kernel
 * re-absorbed, so the iterates are the log-domain ones for every ε.
 */
final class ReferenceSinkhorn {

    private static final double RANGE = 1e200;

    private final int n;
    private final int m;
    private final double[] a;
    private final double[] b;
    private final double[] logA;
    private final double[] logB;
    private final int threads;

    private final double[] kernelT;   // K̃ᵀ, n x m
    private final double[] logV;      // row potential (log units), warm start
    private final double[] logU;
    private final double[] baseU;     // M_j
    private final double[] r;
    private final double[] s;
    private final double[] tmpN;
    private final double[] tmpM;
    private long absorptions;

    ReferenceSinkhorn(int n, int m, double[] a, double[] b, int threads) {
        this.n = n;
        this.m = m;
        this.a = a;
        this.b = b;
        this.logA = new double[m];
        this.logB = new double[n];
        for (int i = 0; i < m; i++) {
            logA[i] = Math.log(a[i]);
        }
        for (int j = 0; j < n; j++) {
            logB[j] = Math.log(b[j]);
        }
        this.threads = threads;
        this.kernelT = new double[n * m];
        this.logV = new double[m];
        this.logU = new double[n];
        this.baseU = new double[n];
        this.r = new double[m];
        this.s = new double[n];
        this.tmpN = new double[n];
        this.tmpM = new double[m];
    }

    /** Cold start: {@code v = 0}. */
    void reset() {
        Arrays.fill(logV, 0.0);
    }

    /** The row potential {@code v} (log units) after the last call. */
    double[] rowPotential() {
        return logV.clone();
    }

    /** Log-domain passes so far (diagnostics). */
    long absorptions() {
        return absorptions;
    }

    /**
     * Runs {@code iterations} iterations from the current {@code v} on {@code costT} ({@code n × m}, not modified)
     * and writes the plan transposed ({@code Pᵀ}, {@code n × m}) into {@code planT}. {@code v} is updated.
     */
    void solve(double[] costT, double eps, int iterations, double[] planT) {
        boolean absorbed = false; // whether K̃, r (=1 at absorption) and s describe (v, u)
        for (int k = 0; k < iterations; k++) {
            // u-update
            if (!absorbed) {
                absorbColumns(costT, eps);
                absorbed = true;
            } else {
                multiply(r, tmpN);
                if (!scale(b, tmpN, s)) {
                    materialiseV();
                    absorbColumns(costT, eps);
                }
            }
            // v-update
            multiplyTranspose(s, tmpM);
            if (!scale(a, tmpM, r)) {
                materialiseU();
                logRows(costT, eps);
                absorbed = false;
            }
        }
        if (absorbed) {
            Parallel.forRange(n, threads, m, (from, to) -> {
                for (int j = from; j < to; j++) {
                    int off = j * m;
                    double sj = s[j];
                    for (int i = 0; i < m; i++) {
                        planT[off + i] = kernelT[off + i] * r[i] * sj;
                    }
                }
            });
            materialiseV();
        } else {
            double inv = 1.0 / eps;
            Parallel.forRange(n, threads, m, (from, to) -> {
                for (int j = from; j < to; j++) {
                    int off = j * m;
                    double uj = logU[j];
                    for (int i = 0; i < m; i++) {
                        planT[off + i] = Math.exp(uj + logV[i] - costT[off + i] * inv);
                    }
                }
            });
        }
    }

    /** {@code out = K̃ᵀ x} ({@code n} entries): row dot products of {@code kernelT}, parallel over rows. */
    private void multiply(double[] x, double[] out) {
        Parallel.forRange(n, threads, m, (from, to) -> {
            for (int j = from; j < to; j++) {
                int off = j * m;
                double acc = 0;
                for (int i = 0; i < m; i++) {
                    acc += kernelT[off + i] * x[i];
                }
                out[j] = acc;
            }
        });
    }

    /** {@code out = K̃ y} ({@code m} entries): column sums of {@code kernelT} weighted by {@code y}. */
    private void multiplyTranspose(double[] y, double[] out) {
        int blocks = Math.max(1, Math.min(threads, n / 64));
        double[][] partial = new double[blocks][];
        Parallel.forEach(blocks, threads, blk -> {
            int from = (int) ((long) n * blk / blocks);
            int to = (int) ((long) n * (blk + 1) / blocks);
            double[] acc = new double[m];
            for (int j = from; j < to; j++) {
                int off = j * m;
                double yj = y[j];
                if (yj == 0) {
                    continue;
                }
                for (int i = 0; i < m; i++) {
                    acc[i] += kernelT[off + i] * yj;
                }
            }
            partial[blk] = acc;
        });
        System.arraycopy(partial[0], 0, out, 0, m);
        for (int blk = 1; blk < blocks; blk++) {
            double[] acc = partial[blk];
            for (int i = 0; i < m; i++) {
                out[i] += acc[i];
            }
        }
    }

    /** {@code out = mu / sum} entrywise; false when a result leaves the safe range. */
    private static boolean scale(double[] mu, double[] sum, double[] out) {
        for (int k = 0; k < out.length; k++) {
            double v = mu[k] / sum[k];
            if (!(v <= RANGE) || (v < 1 / RANGE && mu[k] > 0)) {
                return false;
            }
            out[k] = v;
        }
        return true;
    }

    /** v_i = v⁰_i + log r_i (the absorbed kernel's row base is the v it was built from), then r = 1. */
    private void materialiseV() {
        for (int i = 0; i < m; i++) {
            logV[i] += Math.log(r[i]);
            r[i] = 1.0;
        }
    }

    /** u_j = log s_j − M_j (the absorbed kernel carries exp(−M_j)). */
    private void materialiseU() {
        for (int j = 0; j < n; j++) {
            logU[j] = Math.log(s[j]) + baseU[j];
        }
    }

    /**
     * The log-domain u-update from the current v, absorbing: {@code K̃ᵀ_ji = exp(v_i − C_ij/ε − M_j)},
     * {@code s_j = b_j / Σ_i K̃ᵀ_ji}, {@code r = 1}.
     */
    private void absorbColumns(double[] costT, double eps) {
        absorptions++;
        double inv = 1.0 / eps;
        Parallel.forRange(n, threads, m, (from, to) -> {
            for (int j = from; j < to; j++) {
                int off = j * m;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < m; i++) {
                    double t = logV[i] - costT[off + i] * inv;
                    kernelT[off + i] = t;
                    if (t > max) {
                        max = t;
                    }
                }
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    double e = Math.exp(kernelT[off + i] - max);
                    kernelT[off + i] = e;
                    sum += e;
                }
                baseU[j] = -max;
                s[j] = b[j] / sum;
            }
        });
        Arrays.fill(r, 1.0);
    }

    /** The log-domain v-update from the current u: {@code v_i = log a_i − logsumexp_j (u_j − C_ij/ε)}. */
    private void logRows(double[] costT, double eps) {
        absorptions++;
        double inv = 1.0 / eps;
        Parallel.forRange(m, threads, n, (from, to) -> {
            int width = to - from;
            double[] max = new double[width];
            double[] sum = new double[width];
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                int off = j * m;
                double uj = logU[j];
                for (int i = from; i < to; i++) {
                    double t = uj - costT[off + i] * inv;
                    if (t > max[i - from]) {
                        max[i - from] = t;
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                int off = j * m;
                double uj = logU[j];
                for (int i = from; i < to; i++) {
                    sum[i - from] += Math.exp(uj - costT[off + i] * inv - max[i - from]);
                }
            }
            for (int i = from; i < to; i++) {
                logV[i] = logA[i] - max[i - from] - Math.log(sum[i - from]);
            }
        });
    }
}
