package org.gwembed.embedding;

import static org.gwembed.embedding.SmacofTest.assertMessage;
import static org.gwembed.embedding.SmacofTest.randomPoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;

class WassersteinProcrustesTest {

    private static final double EXACT = 1e-12;
    /** Agreement with a literal port of the reference, relative to the largest plan entry. */
    private static final double SAME_PLAN = 1e-10;

    private static DMatrixRMaj rotation(double angle, boolean reflect) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new DMatrixRMaj(2, 2, true, c, reflect ? s : -s, s, reflect ? -c : c);
    }

    private static double[] uniform(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1.0 / n);
        return a;
    }

    @Test
    void orthogonalStepRecoversAKnownRotationOrReflection() {
        DMatrixRMaj z1 = randomPoints(50, 2, 3);
        DMatrixRMaj identityPlan = CommonOps_DDRM.identity(50);
        CommonOps_DDRM.scale(1.0 / 50, identityPlan);
        for (boolean reflect : new boolean[] {false, true}) {
            DMatrixRMaj r = rotation(0.7, reflect);
            DMatrixRMaj z2 = new DMatrixRMaj(50, 2);
            CommonOps_DDRM.mult(z1, r, z2);
            DMatrixRMaj o = WassersteinProcrustes.orthogonal(z1, identityPlan, z2);
            for (int k = 0; k < 4; k++) {
                assertEquals(r.data[k], o.data[k], EXACT, "reflect " + reflect + " entry " + k);
            }
        }
    }

    @Test
    void alternationsRecoverTheRotationOfAShuffledCloud() {
        int n = 60;
        DMatrixRMaj z1 = randomPoints(n, 2, 5);
        DMatrixRMaj r = rotation(0.35, false);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        DMatrixRMaj rotated = new DMatrixRMaj(n, 2);
        CommonOps_DDRM.mult(z1, r, rotated);
        DMatrixRMaj z2 = new DMatrixRMaj(n, 2);
        for (int i = 0; i < n; i++) {
            z2.set(perm[i], 0, rotated.get(i, 0));
            z2.set(perm[i], 1, rotated.get(i, 1));
        }
        WassersteinProcrustes.Result res = WassersteinProcrustes.solve(z1, z2, uniform(n), uniform(n), 1e-3, 50, 50,
                1e-12);
        for (int k = 0; k < 4; k++) {
            assertEquals(r.data[k], res.rotation().data[k], 1e-3, "entry " + k);
        }
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (res.coupling().get(i, j) > res.coupling().get(i, best)) {
                    best = j;
                }
            }
            hits += best == perm[i] ? 1 : 0;
        }
        assertEquals(n, hits, "every point's heaviest partner is its image");
    }

    @Test
    void sinkhornMarginalsHold() {
        int m = 40;
        int n = 55;
        DMatrixRMaj z1 = randomPoints(m, 2, 1);
        DMatrixRMaj z2 = randomPoints(n, 2, 2);
        SplittableRandom r = new SplittableRandom(3);
        double[] a = new double[m];
        double[] b = new double[n];
        for (int i = 0; i < m; i++) {
            a[i] = 0.5 + r.nextDouble();
        }
        for (int j = 0; j < n; j++) {
            b[j] = 0.5 + r.nextDouble();
        }
        normalise(a);
        normalise(b);
        // the reference's 5 iterations: rows exact (the last update is v), columns close
        WassersteinProcrustes.Result five = WassersteinProcrustes.solve(z1, z2, a, b, 0.1, 10, 5, 1e-5);
        assertTrue(five.rowMarginalError() < 1e-13, "row marginal error " + five.rowMarginalError());
        assertTrue(five.columnMarginalError() < 0.05, "column marginal error " + five.columnMarginalError());
        // run to convergence: both marginals hold
        WassersteinProcrustes.Result many = WassersteinProcrustes.solve(z1, z2, a, b, 0.1, 1, 2000, 1e-5);
        assertTrue(many.rowMarginalError() < 1e-13, "row marginal error " + many.rowMarginalError());
        assertTrue(many.columnMarginalError() < 1e-9, "column marginal error " + many.columnMarginalError());
        double total = CommonOps_DDRM.elementSum(many.coupling());
        assertEquals(1.0, total, 1e-12);
    }

    /**
     * JointMDS's {@code inv_ot(X1, X2, a, b, eps, max_iter, tol)} as its authors wrote it, with its
     * {@code sinkhorn(dist, a, b, v, eps, max_iter=sinkhornIterations)} in the plain domain (scalings
     * {@code exp(u)}, {@code exp(v)}; fine at ε = 0.1 on these costs). Returns {P (m × n), O, alternations}.
     */
    private static Object[] jointMdsInvOt(DMatrixRMaj z1, DMatrixRMaj z2, double[] a, double[] b, double eps,
            int maxIterations, int sinkhornIterations, double tolerance) {
        int m = z1.numRows;
        int n = z2.numRows;
        DMatrixRMaj o = CommonOps_DDRM.identity(2);
        DMatrixRMaj previous = new DMatrixRMaj(m, n);
        DMatrixRMaj plan = new DMatrixRMaj(m, n);
        double[] ev = new double[m];
        Arrays.fill(ev, 1.0); // v = 0
        double[] eu = new double[n];
        int it = 0;
        while (it < maxIterations) {
            DMatrixRMaj rotated = new DMatrixRMaj(m, 2);
            CommonOps_DDRM.mult(z1, o, rotated);
            double[] k = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double dx = rotated.get(i, 0) - z2.get(j, 0);
                    double dy = rotated.get(i, 1) - z2.get(j, 1);
                    k[i * n + j] = Math.exp(-(dx * dx + dy * dy) / eps);
                }
            }
            for (int s = 0; s < sinkhornIterations; s++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int i = 0; i < m; i++) {
                        sum += ev[i] * k[i * n + j];
                    }
                    eu[j] = b[j] / sum;
                }
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        sum += k[i * n + j] * eu[j];
                    }
                    ev[i] = a[i] / sum;
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    plan.set(i, j, ev[i] * k[i * n + j] * eu[j]);
                }
            }
            DMatrixRMaj pz2 = new DMatrixRMaj(m, 2);
            CommonOps_DDRM.mult(plan, z2, pz2);
            DMatrixRMaj mm = new DMatrixRMaj(2, 2);
            CommonOps_DDRM.multTransA(z1, pz2, mm);
            o = WassersteinProcrustes.polar(mm);
            it++;
            DMatrixRMaj change = new DMatrixRMaj(m, n);
            CommonOps_DDRM.subtract(previous, plan, change);
            if (NormOps_DDRM.normF(change) < tolerance) {
                break;
            }
            previous = plan.copy();
        }
        return new Object[] {plan, o, it};
    }

    @Test
    void alternationsAreJointMdsInvOt() {
        int m = 30;
        int n = 45;
        DMatrixRMaj z1 = randomPoints(m, 2, 21);
        DMatrixRMaj z2 = randomPoints(n, 2, 22);
        double[] a = uniform(m);
        double[] b = uniform(n);
        for (int limit : new int[] {100, 10}) { // stopped by the plan change (after 77), and by the limit
            Object[] expected = jointMdsInvOt(z1, z2, a, b, 0.1, limit, 5, 1e-9);
            WassersteinProcrustes.Result r = WassersteinProcrustes.solve(z1, z2, a, b, 0.1, limit, 5, 1e-9);
            DMatrixRMaj plan = (DMatrixRMaj) expected[0];
            double max = CommonOps_DDRM.elementMax(plan);
            for (int k = 0; k < plan.data.length; k++) {
                assertEquals(plan.data[k], r.coupling().data[k], SAME_PLAN * max, "limit " + limit + " entry " + k);
            }
            DMatrixRMaj o = (DMatrixRMaj) expected[1];
            for (int k = 0; k < 4; k++) {
                assertEquals(o.data[k], r.rotation().data[k], SAME_PLAN, "limit " + limit + " rotation entry " + k);
            }
            assertEquals((int) expected[2], r.iterations(), "alternations");
            assertEquals(limit == 100, r.converged(), "limit " + limit + ": " + r.iterations());
        }
    }

    @Test
    void badInputNamesTheArgument() {
        DMatrixRMaj z = randomPoints(4, 2, 1);
        double[] u = uniform(4);
        assertMessage("z1", () -> WassersteinProcrustes.solve(null, z, u, u, 0.1, 10, 5, 1e-5));
        assertMessage("columns", () -> WassersteinProcrustes.solve(z, randomPoints(4, 3, 1), u, u, 0.1, 10, 5,
                1e-5));
        assertMessage("a must sum to 1", () -> WassersteinProcrustes.solve(z, z, new double[] {1, 1, 1, 1}, u, 0.1,
                10, 5, 1e-5));
        assertMessage("b has 3 entries", () -> WassersteinProcrustes.solve(z, z, u, uniform(3), 0.1, 10, 5, 1e-5));
        assertMessage("epsilon", () -> WassersteinProcrustes.solve(z, z, u, u, 0, 10, 5, 1e-5));
        assertMessage("sinkhornIterations", () -> WassersteinProcrustes.solve(z, z, u, u, 0.1, 10, 0, 1e-5));
        assertMessage("plan", () -> WassersteinProcrustes.orthogonal(z, new DMatrixRMaj(3, 4), z));
    }

    private static void normalise(double[] x) {
        double s = Arrays.stream(x).sum();
        for (int i = 0; i < x.length; i++) {
            x[i] /= s;
        }
    }
}
