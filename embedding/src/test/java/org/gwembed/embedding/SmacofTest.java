package org.gwembed.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class SmacofTest {

    /** Relative stress left after recovering an exact Euclidean configuration. */
    private static final double EXACT_STRESS = 1e-10;
    /** Procrustes residual (relative to the configuration's size) of the recovered points. */
    private static final double RIGID_RESIDUAL = 1e-5;
    /** Allowed rounding increase of the stress between transforms, relative. */
    private static final double MONOTONE_SLACK = 1e-12;
    /** Agreement of two mathematically identical runs. */
    private static final double SAME_RUN = 1e-9;

    static DMatrixRMaj randomPoints(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int k = 0; k < n * d; k++) {
            x.data[k] = r.nextDouble(-1, 1) * (1 + (k % d)); // anisotropic
        }
        return x;
    }

    static DMatrixRMaj distances(DMatrixRMaj x) {
        int n = x.numRows;
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < x.numCols; c++) {
                    double t = x.get(i, c) - x.get(j, c);
                    s += t * t;
                }
                d.set(i, j, Math.sqrt(s));
            }
        }
        return d;
    }

    /** min over rigid motions ‖(Y − ȳ) O − (X − x̄)‖_F / ‖X − x̄‖_F, O orthogonal (Procrustes). */
    static double procrustesResidual(DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj xc = centred(x);
        DMatrixRMaj yc = centred(y);
        DMatrixRMaj m = new DMatrixRMaj(x.numCols, x.numCols);
        CommonOps_DDRM.multTransA(yc, xc, m);
        DMatrixRMaj o = WassersteinProcrustes.polar(m);
        DMatrixRMaj yo = new DMatrixRMaj(y.numRows, y.numCols);
        CommonOps_DDRM.mult(yc, o, yo);
        CommonOps_DDRM.subtractEquals(yo, xc);
        return CommonOps_DDRM.elementSum(elementSquare(yo)) / CommonOps_DDRM.elementSum(elementSquare(xc));
    }

    private static DMatrixRMaj elementSquare(DMatrixRMaj a) {
        DMatrixRMaj s = a.copy();
        CommonOps_DDRM.elementMult(s, a);
        return s;
    }

    private static DMatrixRMaj centred(DMatrixRMaj x) {
        DMatrixRMaj c = x.copy();
        for (int k = 0; k < x.numCols; k++) {
            double mean = 0;
            for (int i = 0; i < x.numRows; i++) {
                mean += x.get(i, k);
            }
            mean /= x.numRows;
            for (int i = 0; i < x.numRows; i++) {
                c.add(i, k, -mean);
            }
        }
        return c;
    }

    @Test
    void exactEuclideanDistancesAreReproducedUpToARigidMotion() {
        DMatrixRMaj x = randomPoints(40, 2, 7);
        DMatrixRMaj d = distances(x);
        Smacof.Options tight = Smacof.Options.defaults().withMaxIterations(5000).withTolerance(1e-300);
        Smacof.Result r = Smacof.unweighted(d, 2, 8, new SplittableRandom(3), tight);
        double scale = 0.5 * CommonOps_DDRM.elementSum(elementSquare(d));
        assertTrue(r.stress() / scale < EXACT_STRESS, "relative stress " + r.stress() / scale);
        double residual = procrustesResidual(x, r.configuration());
        assertTrue(residual < RIGID_RESIDUAL, "Procrustes residual " + residual);
        assertEquals(r.iterations() + 1, r.stressHistory().length);
    }

    @Test
    void referenceStoppingRuleEndsEarlyAndKeepsTheBestStart() {
        DMatrixRMaj d = distances(randomPoints(30, 3, 11));
        Smacof.Result one = Smacof.unweighted(d, 2, 1, new SplittableRandom(5), Smacof.Options.defaults());
        assertTrue(one.converged(), "the 1e-3 rule fires well before 300 transforms: " + one.iterations());
        Smacof.Result four = Smacof.unweighted(d, 2, 4, new SplittableRandom(5), Smacof.Options.defaults());
        assertTrue(four.referenceStress() <= one.referenceStress() + 1e-12, "n_init keeps the lowest stress");
    }

    @Test
    void weightedStressNeverIncreases() {
        int n = 60;
        SplittableRandom r = new SplittableRandom(19);
        DMatrixRMaj delta = new DMatrixRMaj(n, n);
        DMatrixRMaj w = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dij = 0.2 + r.nextDouble(); // not Euclidean
                double wij = r.nextDouble() < 0.3 ? 0 : r.nextDouble();
                delta.set(i, j, dij);
                delta.set(j, i, dij);
                w.set(i, j, wij);
                w.set(j, i, wij);
            }
        }
        Smacof.Options many = Smacof.Options.defaults().withMaxIterations(200).withTolerance(1e-300);
        for (Smacof.Factorization f : Smacof.Factorization.values()) {
            Smacof.Result res = Smacof.weighted(delta, w, randomPoints(n, 2, 23), many.withFactorization(f));
            double[] h = res.stressHistory();
            assertEquals(res.iterations() + 1, h.length);
            assertTrue(res.iterations() > 50, "ran until the stress stalled: " + res.iterations());
            for (int k = 1; k < h.length; k++) {
                assertTrue(h[k] <= h[k - 1] * (1 + MONOTONE_SLACK), f + ": stress rose at transform " + k + ": "
                        + h[k - 1] + " -> " + h[k]);
            }
            assertTrue(h[h.length - 1] < 0.9 * h[0], "the stress decreased: " + h[0] + " -> " + h[h.length - 1]);
        }
    }

    @Test
    void jointBlockWeightsAlsoDecreaseTheStress() {
        // the JMDS structure: Δ = [[D1, 0], [0, D2]], W = [[aaᵀ, αP], [αPᵀ, bbᵀ]]
        int m = 25;
        int n = 30;
        DMatrixRMaj d1 = distances(randomPoints(m, 3, 1));
        DMatrixRMaj d2 = distances(randomPoints(n, 3, 2));
        int big = m + n;
        DMatrixRMaj delta = new DMatrixRMaj(big, big);
        DMatrixRMaj w = new DMatrixRMaj(big, big);
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < big; i++) {
            for (int j = 0; j < big; j++) {
                if (i < m && j < m) {
                    delta.set(i, j, d1.get(i, j));
                    w.set(i, j, 1.0 / (m * m));
                } else if (i >= m && j >= m) {
                    delta.set(i, j, d2.get(i - m, j - m));
                    w.set(i, j, 1.0 / (n * n));
                } else if (i < m) {
                    double p = 0.3 * r.nextDouble() / (m * n);
                    w.set(i, j, p);
                    w.set(j, i, p);
                }
            }
        }
        Smacof.Result res = Smacof.weighted(delta, w, randomPoints(big, 2, 5),
                Smacof.Options.defaults().withMaxIterations(100).withTolerance(1e-300));
        double[] h = res.stressHistory();
        for (int k = 1; k < h.length; k++) {
            assertTrue(h[k] <= h[k - 1] * (1 + MONOTONE_SLACK), "stress rose at " + k);
        }
        // the reference's rule: with probability weights the normalised decrease soon drops below 1e-3
        Smacof.Result ref = Smacof.weighted(delta, w, randomPoints(big, 2, 5), Smacof.Options.defaults());
        assertTrue(ref.converged() && ref.iterations() < 50, "iterations " + ref.iterations());
    }

    @Test
    void unitWeightsReproduceTheUnweightedIterates() {
        // W = 11ᵀ: V⁺ B X = B X / N, so the Cholesky path must give the unweighted iterates
        DMatrixRMaj d = distances(randomPoints(35, 4, 8));
        DMatrixRMaj ones = new DMatrixRMaj(35, 35);
        CommonOps_DDRM.fill(ones, 1.0);
        DMatrixRMaj start = randomPoints(35, 2, 9);
        Smacof.Options opts = Smacof.Options.defaults().withMaxIterations(25).withTolerance(1e-300);
        Smacof.Result plain = Smacof.unweighted(d, start, opts);
        for (Smacof.Factorization f : Smacof.Factorization.values()) {
            Smacof.Result weighted = Smacof.weighted(d, ones, start, opts.withFactorization(f));
            for (int k = 0; k < plain.configuration().getNumElements(); k++) {
                assertEquals(plain.configuration().data[k], weighted.configuration().data[k], SAME_RUN, f + " " + k);
            }
            assertEquals(plain.stress(), weighted.stress(), SAME_RUN * plain.stress());
        }
    }

    @Test
    void disconnectedWeightsAreReportedNotThrown() {
        DMatrixRMaj d = distances(randomPoints(6, 2, 1));
        DMatrixRMaj w = new DMatrixRMaj(6, 6);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                w.set(i, j, 1);
                w.set(i + 3, j + 3, 1);
            }
        }
        // V + 11ᵀ/N is singular in exact arithmetic; LAPACK reports it or the run proceeds finitely
        Smacof.Result r = Smacof.weighted(d, w, randomPoints(6, 2, 2), Smacof.Options.defaults());
        assertTrue(r.stopReason() == Smacof.StopReason.NOT_POSITIVE_DEFINITE || Double.isFinite(r.stress()));
    }

    @Test
    void badInputNamesTheArgument() {
        DMatrixRMaj d = distances(randomPoints(5, 2, 1));
        Smacof.Options o = Smacof.Options.defaults();
        assertMessage("dissimilarities", () -> Smacof.unweighted(new DMatrixRMaj(3, 4), 2, 1,
                new SplittableRandom(1), o));
        DMatrixRMaj asym = d.copy();
        asym.set(0, 1, asym.get(0, 1) + 1);
        assertMessage("dissimilarities must be symmetric", () -> Smacof.unweighted(asym, 2, 1,
                new SplittableRandom(1), o));
        DMatrixRMaj neg = d.copy();
        neg.set(1, 2, -1);
        neg.set(2, 1, -1);
        assertMessage("dissimilarities[1,2]", () -> Smacof.unweighted(neg, 2, 1, new SplittableRandom(1), o));
        DMatrixRMaj diag = d.copy();
        diag.set(2, 2, 0.5);
        assertMessage("dissimilarities[2,2] must be 0", () -> Smacof.unweighted(diag, 2, 1,
                new SplittableRandom(1), o));
        assertMessage("dimensions", () -> Smacof.unweighted(d, 0, 1, new SplittableRandom(1), o));
        assertMessage("initializations", () -> Smacof.unweighted(d, 2, 0, new SplittableRandom(1), o));
        assertMessage("init", () -> Smacof.unweighted(d, new DMatrixRMaj(4, 2), o));
        DMatrixRMaj w = new DMatrixRMaj(5, 5);
        w.set(0, 1, -1);
        w.set(1, 0, -1);
        assertMessage("weights[0,1]", () -> Smacof.weighted(d, w, new DMatrixRMaj(5, 2), o));
        assertMessage("weights is 4x4", () -> Smacof.weighted(d, new DMatrixRMaj(4, 4), new DMatrixRMaj(5, 2), o));
        assertMessage("maxIterations", () -> o.withMaxIterations(0));
        assertMessage("tolerance", () -> o.withTolerance(-1));
        assertMessage("threads", () -> o.withThreads(0));
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment
                + "'");
    }
}
