package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Anderson acceleration (type II; Walker &amp; Ni, SIAM J. Numer. Anal. 49, 2011) of a fixed-point iteration
 * {@code x ← Φ(x)} on long vectors: from the last {@code mem} residual differences {@code Δr_j = r_{j+1} − r_j}
 * ({@code r = Φ(x) − x}) and image differences {@code Δg_j}, the next point is
 * {@code x⁺ = Φ(x) − Σ γ_j Δg_j} with {@code γ = argmin ‖r − Σ γ_j Δr_j‖₂}, solved through the (regularised)
 * normal equations, whose Gram matrix is kept up to date one row per step. A fixed point of {@code Φ} is a fixed
 * point of the mixed iteration, and where {@code Φ} is close to linear with a slow rate the mixed one converges
 * much faster.
 *
 * <p>Sums are taken over fixed blocks of the vectors and the blocks' partial sums added in order, so the result
 * is the same for any thread count. Storage: {@code 2 mem + 2} vectors of the iteration's length.
 */
final class AndersonMixing {

    private static final int BLOCK = 1 << 13;

    private final int size;
    private final int memory;
    private final int threads;
    private final double[][] dr;
    private final double[][] dg;
    private final double[][] gram;
    private final double[] lastR;
    private final double[] lastG;
    private final double[] partial;
    private boolean started;
    private int count;
    private int head;

    /**
     * @param size    length of the iterate
     * @param memory  differences kept (≥ 1)
     * @param threads threads of the vector passes
     */
    AndersonMixing(int size, int memory, int threads) {
        Require.atLeast(size, 1, "size");
        Require.atLeast(memory, 1, "memory");
        this.size = size;
        this.memory = memory;
        this.threads = Math.max(1, threads);
        this.dr = new double[memory][size];
        this.dg = new double[memory][size];
        this.gram = new double[memory][memory];
        this.lastR = new double[size];
        this.lastG = new double[size];
        this.partial = new double[blocks() * (2 * memory + 1)];
    }

    /** The differences kept at most. */
    int memory() {
        return memory;
    }

    /** The differences the last {@link #next} mixed (0: it returned {@code Φ(x)} itself). */
    int depth() {
        return count;
    }

    /**
     * Forgets the differences but not the last pair {@code (x, Φ(x))}: the next {@link #next} mixes the one
     * difference it forms with that pair.
     */
    void reset() {
        count = 0;
        head = 0;
    }

    /**
     * Copies the image {@code Φ(x)} given to the last {@link #next} into {@code out} (a {@link #reset} keeps it);
     * leaves {@code out} as it is when {@link #next} was never called.
     */
    void lastImage(double[] out) {
        if (out.length != size) {
            throw new IllegalArgumentException("Anderson mixing: a vector of length " + size + " expected, got "
                    + out.length);
        }
        if (started) {
            System.arraycopy(lastG, 0, out, 0, size);
        }
    }

    /**
     * The next iterate from {@code x} and its image {@code g = Φ(x)}, written into {@code out} (which may be
     * {@code x} but not {@code g}). Returns {@code ‖Φ(x) − x‖₂}.
     */
    double next(double[] x, double[] g, double[] out) {
        if (x.length != size || g.length != size || out.length != size || out == g) {
            throw new IllegalArgumentException("Anderson mixing: vectors of length " + size
                    + " expected (out not g), got " + x.length + ", " + g.length + ", " + out.length);
        }
        if (!started) {
            double residual = Math.sqrt(blockSums(1, (from, to, sums) -> {
                double s = 0;
                for (int u = from; u < to; u++) {
                    double r = g[u] - x[u];
                    lastR[u] = r;
                    lastG[u] = g[u];
                    s += r * r;
                }
                sums[0] = s;
            })[0]);
            started = true;
            System.arraycopy(g, 0, out, 0, size); // no difference yet: Φ(x) itself
            return residual;
        }
        int slot = head;
        head = (head + 1) % memory;
        count = Math.min(count + 1, memory);
        double[] a = dr[slot];
        double[] b = dg[slot];
        int kept = count;
        int[] slots = slotsNewestFirst(kept); // slots[0] is the new difference's own
        // one pass: the new differences, the residual's norm, the new Gram row, the normal equations' right side
        double[] sums = blockSums(1 + 2 * kept, (from, to, s) -> {
            for (int u = from; u < to; u++) {
                double r = g[u] - x[u];
                a[u] = r - lastR[u];
                b[u] = g[u] - lastG[u];
                lastR[u] = r;
                lastG[u] = g[u];
                s[0] += r * r;
            }
            for (int j = 0; j < kept; j++) {
                double[] other = dr[slots[j]];
                double d = 0;
                for (int u = from; u < to; u++) {
                    d += a[u] * other[u];
                }
                s[1 + j] = d;
                double e = 0;
                for (int u = from; u < to; u++) {
                    e += other[u] * lastR[u];
                }
                s[1 + kept + j] = e;
            }
        });
        double residual = Math.sqrt(sums[0]);
        for (int j = 0; j < kept; j++) {
            gram[slot][slots[j]] = sums[1 + j];
            gram[slots[j]][slot] = sums[1 + j];
        }
        double[] gamma = solve(slots, Arrays.copyOfRange(sums, 1 + kept, 1 + 2 * kept));
        Parallel.forRange(size, threads, kept + 1L, (from, to) -> {
            for (int u = from; u < to; u++) {
                double v = g[u];
                for (int j = 0; j < kept; j++) {
                    v -= gamma[j] * dg[slots[j]][u];
                }
                out[u] = v;
            }
        });
        return residual;
    }

    /** The ring's slots, the newest difference first. */
    private int[] slotsNewestFirst(int kept) {
        int[] slots = new int[kept];
        for (int j = 0; j < kept; j++) {
            slots[j] = Math.floorMod(head - 1 - j, memory);
        }
        return slots;
    }

    /**
     * {@code (G + δ I) γ = rhs} by Cholesky, {@code δ} a small multiple of G's largest diagonal entry; a pivot
     * that is not positive (differences that are numerically dependent) drops that difference and the older ones.
     */
    private double[] solve(int[] slots, double[] rhs) {
        int k = slots.length;
        double scale = 0;
        for (int s : slots) {
            scale = Math.max(scale, gram[s][s]);
        }
        double[] gamma = new double[k];
        if (!(scale > 0) || !Double.isFinite(scale)) {
            return gamma;
        }
        double delta = 1e-12 * scale;
        double[][] l = new double[k][k];
        int used = k;
        for (int i = 0; i < k && used == k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = gram[slots[i]][slots[j]] + (i == j ? delta : 0);
                for (int t = 0; t < j; t++) {
                    v -= l[i][t] * l[j][t];
                }
                if (i == j) {
                    if (!(v > delta * 1e-3)) {
                        used = i;
                        break;
                    }
                    l[i][i] = Math.sqrt(v);
                } else {
                    l[i][j] = v / l[j][j];
                }
            }
        }
        double[] y = new double[used];
        for (int i = 0; i < used; i++) {
            double v = rhs[i];
            for (int t = 0; t < i; t++) {
                v -= l[i][t] * y[t];
            }
            y[i] = v / l[i][i];
        }
        for (int i = used - 1; i >= 0; i--) {
            double v = y[i];
            for (int t = i + 1; t < used; t++) {
                v -= l[t][i] * gamma[t];
            }
            gamma[i] = v / l[i][i];
        }
        return gamma;
    }

    private interface BlockBody {
        void accumulate(int from, int to, double[] sums);
    }

    private int blocks() {
        return (size + BLOCK - 1) / BLOCK;
    }

    /** {@code width} sums over the vectors, block by block on the threads, the blocks added in order. */
    private double[] blockSums(int width, BlockBody body) {
        int blocks = blocks();
        Arrays.fill(partial, 0, blocks * width, 0);
        Parallel.forRange(blocks, threads, (long) BLOCK * width, (bFrom, bTo) -> {
            double[] s = new double[width];
            for (int b = bFrom; b < bTo; b++) {
                Arrays.fill(s, 0);
                body.accumulate(b * BLOCK, Math.min(size, (b + 1) * BLOCK), s);
                System.arraycopy(s, 0, partial, b * width, width);
            }
        });
        double[] total = new double[width];
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < width; j++) {
                total[j] += partial[b * width + j];
            }
        }
        return total;
    }
}
