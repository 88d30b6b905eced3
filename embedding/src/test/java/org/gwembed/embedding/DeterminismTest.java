package org.gwembed.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.SphereGrid;
import org.gwembed.solvers.DistanceProducts;
import org.gwembed.solvers.GromovWasserstein;
import org.gwembed.solvers.Precision;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, determinism: the same inputs and seed give bit-identical results, run after run in one JVM and for 1
 * and 2 worker threads (double precision, both cost scalings, with and without restarts; single precision once).
 * The problem is large enough (n₁·N, N·n₂ above {@code Parallel}'s hand-off threshold) that the parallel loops
 * really split. Outside {@code Options.threads}: a native BLAS (OpenBLAS) runs its GEMMs on its own threads.
 */
class DeterminismTest {

    private static MetricMeasureSpace cloud(SplittableRandom rng, int n, int dim) {
        return JointEmbeddingTest.randomSpace(rng, n, dim);
    }

    /** Every number of the two results, bit for bit (Arrays.equals compares doubles by their bits). */
    private static void assertIdentical(EmbeddingResult a, EmbeddingResult b, String what) {
        assertArrayEquals(a.zeta1(), b.zeta1(), 0.0, what + ": zeta1");
        assertArrayEquals(a.zeta2(), b.zeta2(), 0.0, what + ": zeta2");
        assertArrayEquals(a.p1().data, b.p1().data, 0.0, what + ": P1");
        assertArrayEquals(a.p2().data, b.p2().data, 0.0, what + ": P2");
        assertEquals(a.objective(), b.objective(), what + ": objective");
        assertEquals(Double.doubleToLongBits(a.marginalError()), Double.doubleToLongBits(b.marginalError()),
                what + ": marginal error");
        assertEquals(List.of(a.restart(), a.outerIterations(), a.innerIterations(), a.innerNotConverged()),
                List.of(b.restart(), b.outerIterations(), b.innerIterations(), b.innerNotConverged()), what);
        assertEquals(a.history().size(), b.history().size(), what);
        for (int t = 0; t < a.history().size(); t++) {
            JointEmbedding.Step s = a.history().get(t);
            JointEmbedding.Step u = b.history().get(t);
            assertEquals(s.objective(), u.objective(), what + ": J at outer iteration " + (t + 1));
            assertEquals(Double.doubleToLongBits(s.planChange()), Double.doubleToLongBits(u.planChange()),
                    what + ": plan change at outer iteration " + (t + 1));
            assertEquals(s.innerIterations(), u.innerIterations(), what + ": inner iterations at " + (t + 1));
        }
    }

    @Test
    void sameInputsAndSeedGiveBitIdenticalResultsForOneAndTwoThreads() {
        SplittableRandom rng = new SplittableRandom(1717);
        MetricMeasureSpace y1 = cloud(rng, 220, 2);
        MetricMeasureSpace y2 = cloud(rng, 200, 3);
        PlaneGrid x = PlaneGrid.of(16, 1.3); // 256 points: 220 · 256 multiply-adds per kernel row block
        for (JointEmbedding.Options base : List.of(JointEmbedding.Options.defaults(5, 0.01),
                JointEmbedding.Options.plain(5, 0.01))) {
            for (JointEmbedding.Options o : List.of(base.withOuterIterations(4),
                    base.withOuterIterations(3).withRestarts(2, 0.05, 11L))) {
                String what = o.costScaling() + (o.restarts() > 1 ? " with restarts" : "");
                EmbeddingResult one = JointEmbedding.embed(y1, y2, x, o.withThreads(1));
                EmbeddingResult again = JointEmbedding.embed(y1, y2, x, o.withThreads(1));
                EmbeddingResult two = JointEmbedding.embed(y1, y2, x, o.withThreads(2));
                assertIdentical(one, again, what + ", the same run twice");
                assertIdentical(one, two, what + ", 1 against 2 threads");
                assertTrue(one.objective().total() > 0, what);
            }
        }
    }

    @Test
    void otherProductsAndKernelsAreThreadCountIndependentToo() {
        // the sphere's ring (Fourier) products and the dense kernels instead of the plane's separable ones
        SplittableRandom rng = new SplittableRandom(1719);
        MetricMeasureSpace y1 = cloud(rng, 220, 3);
        MetricMeasureSpace y2 = cloud(rng, 200, 2);
        for (MetricSpace x : List.<MetricSpace>of(SphereGrid.of(14, 1.3), PlaneGrid.of(16, 1.3))) {
            JointEmbedding.Options o = JointEmbedding.Options.plain(5, 0.01).withOuterIterations(3);
            if (x instanceof PlaneGrid) {
                o = o.withKernel(DistanceProducts.Choice.DENSE);
            }
            String what = x.description() + ", " + o.kernel();
            EmbeddingResult one = JointEmbedding.embed(y1, y2, x, o.withThreads(1));
            EmbeddingResult two = JointEmbedding.embed(y1, y2, x, o.withThreads(2));
            assertIdentical(one, two, what + ", 1 against 2 threads");
        }
        // single precision too (not promised by the issue, but nothing in it depends on the thread count either)
        JointEmbedding.Options single = JointEmbedding.Options.defaults(5, 0.01).withOuterIterations(3)
                .withPrecision(Precision.SINGLE);
        MetricSpace sphere = SphereGrid.of(14, 1.3);
        assertIdentical(JointEmbedding.embed(y1, y2, sphere, single.withThreads(1)),
                JointEmbedding.embed(y1, y2, sphere, single.withThreads(2)), "single precision, 1 against 2 threads");
    }

    @Test
    void wassersteinProcrustesOfJointMdsIsThreadCountIndependent() {
        SplittableRandom rng = new SplittableRandom(1720);
        int m = 150;
        int n = 140;
        DMatrixRMaj z1 = new DMatrixRMaj(m, 2);
        DMatrixRMaj z2 = new DMatrixRMaj(n, 2);
        for (int t = 0; t < z1.data.length; t++) {
            z1.data[t] = rng.nextGaussian();
        }
        for (int t = 0; t < z2.data.length; t++) {
            z2.data[t] = rng.nextGaussian();
        }
        double[] a = new double[m];
        double[] b = new double[n];
        java.util.Arrays.fill(a, 1.0 / m);
        java.util.Arrays.fill(b, 1.0 / n);
        WassersteinProcrustes.Outcome one = WassersteinProcrustes.compute(z1, z2, a, b, 0.05, 10, 50, 1e-9, 1);
        WassersteinProcrustes.Outcome two = WassersteinProcrustes.compute(z1, z2, a, b, 0.05, 10, 50, 1e-9, 2);
        assertArrayEquals(one.planT(), two.planT(), 0.0, "plan");
        assertArrayEquals(one.rotation().data, two.rotation().data, 0.0, "rotation");
        assertEquals(Double.doubleToLongBits(one.planChange()), Double.doubleToLongBits(two.planChange()));
    }

    @Test
    void gromovWassersteinIsBitIdenticalRunAfterRun() {
        SplittableRandom rng = new SplittableRandom(1718);
        MetricMeasureSpace a = cloud(rng, 60, 2);
        MetricMeasureSpace b = cloud(rng, 50, 3);
        GromovWasserstein.Result first = GromovWasserstein.conditionalGradient(a, b,
                GromovWasserstein.Options.defaults());
        GromovWasserstein.Result second = GromovWasserstein.conditionalGradient(a, b,
                GromovWasserstein.Options.defaults());
        assertArrayEquals(first.plan(), second.plan(), 0.0, "conditional gradient plan");
        assertEquals(Double.doubleToLongBits(first.distance()), Double.doubleToLongBits(second.distance()));
        GromovWasserstein.EntropicOptions e = GromovWasserstein.EntropicOptions.defaults(0.01);
        GromovWasserstein.Result third = GromovWasserstein.entropic(a, b, e);
        GromovWasserstein.Result fourth = GromovWasserstein.entropic(a, b, e);
        assertArrayEquals(third.plan(), fourth.plan(), 0.0, "entropic plan");
        assertEquals(Double.doubleToLongBits(third.distance()), Double.doubleToLongBits(fourth.distance()));
    }
}
