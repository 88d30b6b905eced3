package org.gwembed.embedding;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.SphereGrid;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.Precision;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, numerical reliability: EW_λ over ε ∈ {1e-4 .. 1} × λ ∈ {1e-2 .. 1e4} × both cost scalings (REFERENCE
 * with ε relative to the scaled costs in [0, 1]; PLAIN with the same numbers as absolute ε on the raw costs, whose
 * range is about λ·(GW range) + max D_X², so C/ε reaches ~1e8 there) × both precisions, on a small roll pair
 * (S-curve and Swiss roll, plane grid) and a small sphere pair (a spherical rectangle and a cap, both with holes, on
 * a sphere grid). Every run must be finite throughout and either meet its inner tolerance or say that it did not
 * ({@code innerNotConverged > 0}); the reported marginal error must be the plans' own. Never a silent failure.
 *
 * <p>The full sweep (2 problems × 96 combinations, 10 outer iterations, the library's inner limits; about 30 s) is
 * tagged slow; {@link #quickSubsetStaysFiniteAndHonest} runs 20 corners (3 outer iterations, inner solves capped at
 * 3000 iterations; about 3 s) in the default build.
 */
class NumericalSweepTest {

    static final double[] EPSILONS = {1e-4, 3e-4, 1e-3, 1e-2, 0.1, 1};
    static final double[] LAMBDAS = {1e-2, 1, 1e2, 1e4};
    /** Outer iterations per quick run: enough for the plans to leave the uniform start and the costs to sharpen. */
    static final int OUTER = 3;
    /** Inner iteration cap of the quick runs, so that the hardest corners end (and report it) in bounded time. */
    static final int INNER_MAX = 3000;
    /** Outer iterations of the full (slow) sweep, whose inner solves keep the library's own iteration limits. */
    static final int SLOW_OUTER = 10;
    static final boolean VERBOSE = Boolean.getBoolean("sweep.verbose");

    /** A problem of the sweep: the two inputs and the embedding space. */
    record Problem(String name, MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x) {
    }

    static Problem rolls() {
        MeshGenerators.GeneratedMesh s = MeshGenerators.sCurve(80);
        MeshGenerators.GeneratedMesh r = MeshGenerators.swissRoll(70);
        return new Problem("rolls " + s.mesh().vertexCount() + "/" + r.mesh().vertexCount() + " on plane 6x6",
                MetricMeasureSpace.uniform(MeshGeodesics.geodesics(s.mesh()).normalizedToMax(1)),
                MetricMeasureSpace.uniform(MeshGeodesics.geodesics(r.mesh()).normalizedToMax(1)),
                PlaneGrid.of(6, 1.3));
    }

    static Problem sphere() {
        MeshGenerators.GeneratedMesh a = MeshGenerators.sphericalRectangleWithHole(60);
        MeshGenerators.GeneratedMesh b = MeshGenerators.sphericalCapWithHole(60);
        SphereGrid x = SphereGrid.of(6, 1.3);
        return new Problem("sphere pieces " + a.mesh().vertexCount() + "/" + b.mesh().vertexCount() + " on sphere:6 ("
                + x.size() + " points)",
                MetricMeasureSpace.uniform(MeshGeodesics.geodesics(a.mesh()).normalizedToMax(1)),
                MetricMeasureSpace.uniform(MeshGeodesics.geodesics(b.mesh()).normalizedToMax(1)), x);
    }

    /** The settings of one combination: the library's REFERENCE or PLAIN defaults, with the sweep's limits. */
    static JointEmbedding.Options options(JointEmbedding.CostScaling scaling, Precision precision, double lambda,
            double eps) {
        JointEmbedding.Options o = full(scaling, precision, lambda, eps).withOuterIterations(OUTER);
        return o.withInner(o.inner().withMaxIterations(INNER_MAX));
    }

    /** As {@link #options} with {@link #SLOW_OUTER} outer iterations and the library's inner limits. */
    static JointEmbedding.Options full(JointEmbedding.CostScaling scaling, Precision precision, double lambda,
            double eps) {
        JointEmbedding.Options base = scaling == JointEmbedding.CostScaling.REFERENCE
                ? JointEmbedding.Options.defaults(lambda, eps)
                : JointEmbedding.Options.plain(lambda, eps);
        return base.withOuterIterations(SLOW_OUTER).withPrecision(precision).withThreads(1);
    }

    /** How a run ended, for the table. */
    enum Outcome {
        CONVERGED, REPORTED_NOT_CONVERGED
    }

    /**
     * Runs one combination and checks it; returns how it ended, or throws (AssertionError) on a broken run: a
     * non-finite value anywhere, a mass off, or a marginal error that the result does not report.
     */
    static Outcome check(Problem p, JointEmbedding.Options o) {
        String what = String.format(Locale.ROOT, "%s, %s/%s, lambda %g, eps %g", p.name(), o.costScaling(),
                o.precision(), o.lambdas().get(0), o.epsilon());
        EmbeddingResult r;
        try {
            r = JointEmbedding.embed(p.y1(), p.y2(), p.x(), o);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": threw " + e, e);
        }
        int nx = p.x().size();
        assertFiniteNonNegative(r.zeta1(), what + ": zeta1");
        assertFiniteNonNegative(r.zeta2(), what + ": zeta2");
        assertFiniteNonNegative(r.p1().data, what + ": P1");
        assertFiniteNonNegative(r.p2().data, what + ": P2");
        JointEmbedding.Objective j = r.objective();
        for (double v : new double[] {j.wasserstein(), j.gw1(), j.gw2(), j.total()}) {
            assertTrue(Double.isFinite(v), what + ": objective " + j);
        }
        // each term is a sum of non-negative products; computed by expansion, it may round to a little below 0
        double scale = 1 + j.gw1() + j.gw2();
        assertTrue(j.wasserstein() >= -1e-9 && j.gw1() >= -1e-6 * scale && j.gw2() >= -1e-6 * scale,
                what + ": objective terms must be >= 0: " + j);
        assertTrue(Double.isFinite(r.marginalError()) && r.marginalError() >= 0,
                what + ": marginal error " + r.marginalError());
        for (JointEmbedding.Step s : r.history()) {
            assertTrue(Double.isFinite(s.objective().total()) && Double.isFinite(s.marginalError())
                    && !Double.isNaN(s.planChange()), what + ": step " + s);
        }
        // the plans' own marginals: ζ are P's grid marginals, the data marginals are within the reported error
        double[] rows1 = new double[p.y1().size()];
        double[] cols1 = new double[nx];
        sums(r.p1(), rows1, cols1);
        double[] rows2 = new double[nx];
        double[] cols2 = new double[p.y2().size()];
        sums(r.p2(), rows2, cols2);
        // round-off: float kernels; and the exponents' ulp, 1/ε times that of the costs (ε relative to their range)
        double relativeEpsilon = o.epsilon() / JointEmbedding.costRangeBound(p.y1().space().maxDistance(),
                p.y2().space().maxDistance(), p.x().maxDistance(), o);
        double roundOff = (o.precision() == Precision.SINGLE ? 1e-5 : 1e-9) + 1e-17 / relativeEpsilon;
        assertEquals(0, maxDiff(cols1, r.zeta1()), roundOff, what + ": zeta1 = P1's column sums");
        assertEquals(0, maxDiff(rows2, r.zeta2()), roundOff, what + ": zeta2 = P2's row sums");
        double measured = l1(rows1, p.y1().weights()) + l1(cols2, p.y2().weights());
        assertTrue(measured <= r.marginalError() * 1.01 + 1e-8 + 10 * roundOff,
                what + ": the plans' marginal error " + measured + " exceeds the reported " + r.marginalError());
        // masses: each ζ sums to the plan's mass, 1 up to the data marginals' error
        double m1 = sum(r.zeta1());
        double m2 = sum(r.zeta2());
        assertEquals(1.0, m1, r.marginalError() + 1e-6 + 100 * roundOff, what + ": mass of zeta1");
        assertEquals(1.0, m2, r.marginalError() + 1e-6 + 100 * roundOff, what + ": mass of zeta2");
        assertEquals(r.history().size(), r.outerIterations(), what);
        if (r.innerNotConverged() > 0) {
            long notConverged = r.history().stream()
                    .filter(s -> s.innerStop() != ChainSinkhorn.StopReason.CONVERGED).count();
            assertEquals(r.innerNotConverged(), notConverged, what + ": every unconverged inner solve is counted");
            if (VERBOSE) {
                System.out.println(what + ": NOT CONVERGED " + r.innerNotConverged() + " stops "
                        + r.history().stream().map(s -> s.innerStop() + "/" + s.innerIterations()).toList()
                        + " marginal error " + r.marginalError() + " J " + j.total());
            }
            return Outcome.REPORTED_NOT_CONVERGED;
        }
        // converged: the inner stop rule was met in every outer iteration; with the marginal rule (PLAIN) that is
        // the marginal error itself
        if (o.inner().stopRule() == ChainSinkhorn.StopRule.MARGINAL_ERROR) {
            assertTrue(r.marginalError() <= o.inner().tolerance(), what + ": converged with marginal error "
                    + r.marginalError() + " above the tolerance " + o.inner().tolerance());
        } else {
            // the reference rule bounds the scalings' change, not the marginals: over the full sweep their error
            // was at most 1.8e-5
            assertTrue(r.marginalError() <= 1e-4, what + ": converged by the reference rule, marginal error "
                    + r.marginalError());
        }
        if (VERBOSE) {
            System.out.println(what + ": converged, inner " + r.innerIterations() + " marginal error "
                    + r.marginalError() + " J " + j.total() + " stop " + r.stopReason());
        }
        return Outcome.CONVERGED;
    }

    private static void sums(DMatrixRMaj m, double[] rows, double[] cols) {
        for (int i = 0; i < m.numRows; i++) {
            for (int k = 0; k < m.numCols; k++) {
                double v = m.get(i, k);
                rows[i] += v;
                cols[k] += v;
            }
        }
    }

    private static double maxDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double l1(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    private static void assertFiniteNonNegative(double[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (!(Double.isFinite(v[i]) && v[i] >= 0)) {
                fail(what + "[" + i + "] = " + v[i]);
            }
        }
    }

    /** Runs the combinations, collecting failures rather than stopping at the first; returns the table's line. */
    static String sweep(Problem p, double[] epsilons, double[] lambdas, List<JointEmbedding.CostScaling> scalings,
            List<Precision> precisions, boolean slow) {
        int tried = 0;
        int converged = 0;
        int reported = 0;
        List<String> broken = new ArrayList<>();
        for (JointEmbedding.CostScaling scaling : scalings) {
            for (Precision precision : precisions) {
                for (double lambda : lambdas) {
                    for (double eps : epsilons) {
                        tried++;
                        try {
                            JointEmbedding.Options o = slow ? full(scaling, precision, lambda, eps)
                                    : options(scaling, precision, lambda, eps);
                            if (check(p, o) == Outcome.CONVERGED) {
                                converged++;
                            } else {
                                reported++;
                            }
                        } catch (AssertionError e) {
                            broken.add(e.getMessage());
                        }
                    }
                }
            }
        }
        String line = String.format(Locale.ROOT, "%s: %d tried, %d converged, %d non-convergence reported, %d broken",
                p.name(), tried, converged, reported, broken.size());
        if (!broken.isEmpty()) {
            fail(line + "\n" + String.join("\n", broken));
        }
        return line;
    }

    @Test
    void quickSubsetStaysFiniteAndHonest() {
        // the corners of the sweep (smallest and largest ε and λ) and one middle ε, for both scalings: 12 runs on the
        // rolls in double precision, 4 in single, 4 on the sphere
        List<JointEmbedding.CostScaling> both = List.of(JointEmbedding.CostScaling.REFERENCE,
                JointEmbedding.CostScaling.PLAIN);
        double[] lambdas = {1e-2, 1e4};
        Problem rolls = rolls();
        sweep(rolls, new double[] {1e-4, 1e-2, 1}, lambdas, both, List.of(Precision.DOUBLE), false);
        sweep(rolls, new double[] {1e-4}, lambdas, both, List.of(Precision.SINGLE), false);
        sweep(sphere(), new double[] {1e-4}, lambdas, both, List.of(Precision.DOUBLE), false);
    }

    @Test
    void dataPointsWithoutMassWorkWithWarmStarts() {
        // weights may be 0; PLAIN's warm starts fed the solver its own −∞ potentials of those points, which it
        // rejected ("initialPotentials[0][0] must be finite") from the second outer iteration on
        Problem p = rolls();
        double[] w = p.y1().weights().clone();
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 8 == 0 ? 0 : w[i];
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        Problem zeros = new Problem(p.name() + ", every 8th weight 0", MetricMeasureSpace.of(p.y1().space(), w),
                p.y2(), p.x());
        sweep(zeros, new double[] {1e-4, 1e-2}, new double[] {1e-2, 1e4}, List.of(JointEmbedding.CostScaling.PLAIN,
                JointEmbedding.CostScaling.REFERENCE), List.of(Precision.DOUBLE), false);
        EmbeddingResult r = JointEmbedding.embed(zeros.y1(), zeros.y2(), zeros.x(),
                options(JointEmbedding.CostScaling.PLAIN, Precision.SINGLE, 1, 1e-2));
        for (int i = 0; i < w.length; i += 8) {
            for (int k = 0; k < zeros.x().size(); k++) {
                assertEquals(0.0, r.p1().get(i, k), "no mass from a point without weight");
            }
        }
    }

    @Test
    void epsilonsBelowWhatDoublePrecisionResolvesAreRejected() {
        Problem p = rolls();
        // each of these returned infinite ζ, NaN costs or an IndexOutOfBoundsException from the products before
        List<JointEmbedding.Options> hopeless = List.of(
                options(JointEmbedding.CostScaling.REFERENCE, Precision.DOUBLE, 1, 1e-30),
                options(JointEmbedding.CostScaling.PLAIN, Precision.DOUBLE, 1e12, 1e-8),
                options(JointEmbedding.CostScaling.PLAIN, Precision.SINGLE, 1e12, 1e-12),
                options(JointEmbedding.CostScaling.PLAIN, Precision.DOUBLE, 1e100, 1e3),
                options(JointEmbedding.CostScaling.PLAIN, Precision.DOUBLE, 1e300, 1)); // the range overflows
        for (JointEmbedding.Options o : hopeless) {
            IllegalArgumentException e = assertRejects("epsilon = ",
                    () -> JointEmbedding.embed(p.y1(), p.y2(), p.x(), o));
            assertTrue(e.getMessage().contains(String.format(Locale.ROOT, "%g", o.epsilon()))
                    && e.getMessage().contains("must be at least"), e.getMessage());
        }
        // and the error names what would work: just above it, runs are finite and consistent (to their round-off)
        for (JointEmbedding.CostScaling scaling : JointEmbedding.CostScaling.values()) {
            JointEmbedding.Options o = options(scaling, Precision.DOUBLE, 1, 1);
            double floor = JointEmbedding.MIN_RELATIVE_EPSILON * JointEmbedding.costRangeBound(
                    p.y1().space().maxDistance(), p.y2().space().maxDistance(), p.x().maxDistance(), o);
            assertRejects("epsilon", () -> JointEmbedding.embed(p.y1(), p.y2(), p.x(), o.withEpsilon(0.99 * floor)));
            check(p, o.withEpsilon(1.01 * floor).withInner(o.withEpsilon(1.01 * floor).inner()
                    .withMaxIterations(200)));
        }
    }

    @Test
    @Tag("slow")
    void fullSweepOnTheRolls() {
        System.out.println(sweep(rolls(), EPSILONS, LAMBDAS, List.of(JointEmbedding.CostScaling.values()),
                List.of(Precision.values()), true));
    }

    @Test
    @Tag("slow")
    void fullSweepOnTheSphere() {
        System.out.println(sweep(sphere(), EPSILONS, LAMBDAS, List.of(JointEmbedding.CostScaling.values()),
                List.of(Precision.values()), true));
    }
}
