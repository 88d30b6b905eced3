package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class AndersonMixingTest {

    /** {@code Φ(x) = M x + c}, M symmetric with eigenvalues spread in [0, rate]: a slow linear contraction. */
    private record Affine(DMatrixRMaj m, double[] c) {
        static Affine random(int n, double rate, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            DMatrixRMaj a = new DMatrixRMaj(n, n);
            for (int i = 0; i < n * n; i++) {
                a.data[i] = rng.nextDouble(-1, 1);
            }
            // an orthogonal Q from the QR of a random matrix, then M = Q diag(λ) Qᵀ
            var qr = org.ejml.dense.row.factory.DecompositionFactory_DDRM.qr(n, n);
            qr.decompose(a);
            DMatrixRMaj q = qr.getQ(null, false);
            DMatrixRMaj d = new DMatrixRMaj(n, n);
            for (int i = 0; i < n; i++) {
                d.set(i, i, rate * i / (n - 1.0));
            }
            DMatrixRMaj qd = new DMatrixRMaj(n, n);
            CommonOps_DDRM.mult(q, d, qd);
            DMatrixRMaj m = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransB(qd, q, m);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = rng.nextDouble(-1, 1);
            }
            return new Affine(m, c);
        }

        void apply(double[] x, double[] out) {
            int n = c.length;
            for (int i = 0; i < n; i++) {
                double v = c[i];
                for (int j = 0; j < n; j++) {
                    v += m.get(i, j) * x[j];
                }
                out[i] = v;
            }
        }

        /** The fixed point, solving {@code (I − M) x = c} directly. */
        double[] fixedPoint() {
            int n = c.length;
            DMatrixRMaj a = CommonOps_DDRM.identity(n);
            CommonOps_DDRM.subtractEquals(a, m);
            DMatrixRMaj x = new DMatrixRMaj(n, 1);
            CommonOps_DDRM.solve(a, new DMatrixRMaj(n, 1, true, c), x);
            return x.data;
        }
    }

    /** Iterations until ‖Φ(x) − x‖ ≤ tol, mixing with {@code memory} differences (0: plain); x ends at the answer. */
    private static int iterate(Affine f, int memory, double[] x, double tol, int limit) {
        AndersonMixing mixing = memory == 0 ? null : new AndersonMixing(x.length, memory, 2);
        double[] g = new double[x.length];
        for (int it = 1; it <= limit; it++) {
            f.apply(x, g);
            double residual;
            if (mixing == null) {
                double sq = 0;
                for (int u = 0; u < x.length; u++) {
                    sq += (g[u] - x[u]) * (g[u] - x[u]);
                }
                residual = Math.sqrt(sq);
                System.arraycopy(g, 0, x, 0, x.length);
            } else {
                residual = mixing.next(x, g, x);
            }
            if (residual <= tol) {
                if (mixing != null) {
                    mixing.lastImage(x);
                }
                return it;
            }
        }
        return limit + 1;
    }

    @Test
    void reachesTheFixedPointOfASlowContractionInFarFewerSteps() {
        Affine f = Affine.random(60, 0.97, 3);
        double[] exact = f.fixedPoint();
        double[] plain = new double[60];
        double[] mixed = new double[60];
        int plainSteps = iterate(f, 0, plain, 1e-10, 5000);
        int mixedSteps = iterate(f, 5, mixed, 1e-10, 5000);
        assertTrue(plainSteps <= 5000, "plain did not converge");
        // the plain rate 0.97 needs ~ log(1e-10)/log(0.97) ≈ 800 steps; mixing a few dozen
        assertTrue(mixedSteps * 5 < plainSteps, "mixed " + mixedSteps + " steps, plain " + plainSteps);
        for (int u = 0; u < 60; u++) {
            assertEquals(exact[u], mixed[u], 1e-8, "entry " + u);
            assertEquals(exact[u], plain[u], 1e-8, "entry " + u);
        }
    }

    @Test
    void theFirstStepAndTheStepAfterAResetAreNotMixedBeyondOneDifference() {
        Affine f = Affine.random(10, 0.9, 5);
        AndersonMixing mixing = new AndersonMixing(10, 3, 1);
        double[] x = new double[10];
        double[] g = new double[10];
        double[] out = new double[10];
        f.apply(x, g);
        double r = mixing.next(x, g, out);
        assertEquals(0, mixing.depth());
        assertArrayEquals(g, out, 0); // no history: the plain step
        double sq = 0;
        for (double v : g) {
            sq += v * v;
        }
        assertEquals(Math.sqrt(sq), r, 1e-15);
        for (int k = 0; k < 5; k++) {
            System.arraycopy(out, 0, x, 0, 10);
            f.apply(x, g);
            mixing.next(x, g, out);
        }
        assertEquals(3, mixing.depth()); // the memory caps the differences kept
        mixing.reset();
        assertEquals(0, mixing.depth());
        System.arraycopy(out, 0, x, 0, 10);
        f.apply(x, g);
        mixing.next(x, g, out);
        assertEquals(1, mixing.depth()); // the pair before the reset is kept: one difference
        double[] image = new double[10];
        mixing.lastImage(image);
        assertArrayEquals(g, image, 0);
    }

    @Test
    void anyThreadCountGivesTheSameIterates() {
        int n = 3 * (1 << 13) + 17; // several blocks of the sums
        SplittableRandom rng = new SplittableRandom(11);
        double[] c = new double[n];
        double[] scale = new double[n];
        for (int u = 0; u < n; u++) {
            c[u] = rng.nextDouble(-1, 1);
            scale[u] = rng.nextDouble(0.5, 0.99);
        }
        double[][] ends = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            AndersonMixing mixing = new AndersonMixing(n, 4, threads);
            double[] x = new double[n];
            double[] g = new double[n];
            for (int it = 0; it < 12; it++) {
                for (int u = 0; u < n; u++) {
                    g[u] = scale[u] * x[u] + c[u]; // a diagonal contraction
                }
                mixing.next(x, g, x);
            }
            ends[threads - 1] = x;
        }
        assertArrayEquals(ends[0], ends[1], 0);
    }

    @Test
    void badArgumentsAreRejected() {
        AndersonMixing mixing = new AndersonMixing(4, 2, 1);
        double[] g = new double[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mixing.next(new double[4], g, g));
        assertTrue(e.getMessage().contains("out not g"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mixing.next(new double[3], g, new double[4]));
        assertThrows(IllegalArgumentException.class, () -> mixing.lastImage(new double[5]));
        e = assertThrows(IllegalArgumentException.class, () -> new AndersonMixing(4, 0, 1));
        assertTrue(e.getMessage().startsWith("memory must be >= 1"), e.getMessage());
    }
}
