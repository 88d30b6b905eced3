package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PointClouds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GromovWassersteinTest {

    /**
     * POT's conditional gradient and ours take the same steps (same exact-OT vertices, same line search, same
     * stopping iteration): only round-off differs. Measured: 6e-15 relative on the value, 1e-16 on plan entries.
     */
    private static final double CG_RELATIVE_TOLERANCE = 1e-10;
    private static final double CG_PLAN_TOLERANCE = 1e-10;

    /**
     * Entropic GW: both run the same outer iteration and stop at the same iteration (one-step change below 1e-9,
     * tested every 10th), but the Sinkhorn sub-problems are only solved to their stopping rules: POT stops when one
     * marginal's L2 error is below 1e-9 or after 1000 iterations (in the weighted ε = 5e-3 problem 30 of its
     * sub-problems hit that limit; its final column error is 1.2e-9), ours when the L1 error is below 1e-9. So the
     * plans differ at the 1e-9 level; measured: ≤ 1.6e-9 per plan entry and ≤ 3e-9 relative on the value. The
     * tolerances leave a margin of about 6.
     */
    private static final double ENTROPIC_RELATIVE_TOLERANCE = 2e-8;
    private static final double ENTROPIC_PLAN_TOLERANCE = 1e-8;

    private static final double ZERO_TOLERANCE = 1e-12;

    // ------------------------------------------------------------------------------------------------ helpers

    static double[][] cloud(SplittableRandom rng, int n, double... scales) {
        double[][] x = new double[n][scales.length];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < scales.length; d++) {
                x[i][d] = scales[d] * rng.nextGaussian();
            }
        }
        return x;
    }

    /** Euclidean distances scaled to max 1, row-major. */
    static double[] distances(double[][] x) {
        DMatrixRMaj d = PointClouds.euclideanDistances(new DMatrixRMaj(x));
        double max = Arrays.stream(d.data).max().orElseThrow();
        double[] out = new double[d.data.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = d.data[t] / max;
        }
        return out;
    }

    static double[] uniform(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return w;
    }

    static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static List<String> lines(String name) {
        try (InputStream in = GromovWassersteinTest.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /reference/" + name);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> out = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV of numbers, flattened row-major. */
    static double[] csv(String name) {
        return lines(name).stream().flatMap(l -> Arrays.stream(l.split(","))).mapToDouble(Double::parseDouble)
                .toArray();
    }

    /** gw_reference_values.csv: "problem,method,epsilon" → value. */
    static Map<String, Double> referenceValues() {
        Map<String, Double> values = new HashMap<>();
        List<String> all = lines("gw_reference_values.csv");
        for (String line : all.subList(1, all.size())) {
            String[] f = line.split(",");
            values.put(f[0] + "," + f[1] + "," + f[2], Double.parseDouble(f[3]));
        }
        return values;
    }

    private static double maxAbsDifference(double[] x, double[] y) {
        double max = 0;
        for (int t = 0; t < x.length; t++) {
            max = Math.max(max, Math.abs(x[t] - y[t]));
        }
        return max;
    }

    // ------------------------------------------------------------------------------------------------ properties

    @Test
    void conditionalGradientRecoversAPermutationWithDistanceZero() {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 30;
        double[][] x = cloud(rng, n, 1.0, 0.7, 0.4);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            y[perm[i]] = x[i]; // point i of X is point perm[i] of Y
        }
        MetricMeasureSpace mx = MetricMeasureSpace.uniform(PointClouds.euclidean(new DMatrixRMaj(x), "X"));
        MetricMeasureSpace my = MetricMeasureSpace.uniform(PointClouds.euclidean(new DMatrixRMaj(y), "Y"));

        GromovWasserstein.Result r = GromovWasserstein.conditionalGradient(mx, my,
                GromovWasserstein.Options.defaults());

        assertTrue(r.converged(), r.stopReason().toString());
        assertEquals(0.0, r.distance(), ZERO_TOLERANCE);
        for (int i = 0; i < n; i++) {
            assertEquals(1.0 / n, r.plan(i, perm[i]), ZERO_TOLERANCE, "row " + i);
        }
        assertEquals(0.0, r.marginalError(), ZERO_TOLERANCE);
    }

    @Test
    void entropicPlanPutsEachRowsLargestMassOnThePermutation() {
        SplittableRandom rng = new SplittableRandom(22);
        int n = 25;
        double[][] x = cloud(rng, n, 1.0, 0.6);
        double[] a = distances(x);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = (7 * i + 3) % n;
        }
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[perm[i] * n + perm[j]] = a[i * n + j];
            }
        }
        GromovWasserstein.Result r = GromovWasserstein.entropic(a, uniform(n), b, uniform(n),
                GromovWasserstein.EntropicOptions.defaults(5e-3));
        assertTrue(r.converged(), r.stopReason().toString());
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < n; k++) {
                if (r.plan(i, k) > r.plan(i, best)) {
                    best = k;
                }
            }
            assertEquals(perm[i], best, "row " + i);
        }
        // entropic blur: far from 0, but far below the value at the independent coupling p qᵀ
        double independent = GromovCost.gwObjective(a, b, outer(n), n, n);
        assertTrue(r.distance() < 0.05 * independent, "distance " + r.distance() + " vs " + independent);
        assertTrue(r.marginalError() < 1e-8, "marginal error " + r.marginalError());
    }

    private static double[] outer(int n) {
        double[] t = new double[n * n];
        Arrays.fill(t, 1.0 / ((double) n * n));
        return t;
    }

    @Test
    void conditionalGradientIsSymmetricInItsArguments() {
        SplittableRandom rng = new SplittableRandom(23);
        for (int trial = 0; trial < 3; trial++) {
            int n = 15 + trial;
            int m = 22 - trial;
            double[] a = distances(cloud(rng, n, 1.0, 0.5));
            double[] b = distances(cloud(rng, m, 1.0, 0.8, 0.3));
            double[] p = uniform(n);
            double[] q = GromovCostTest.randomMatrix(rng, 1, m);
            double s = Arrays.stream(q).sum();
            for (int k = 0; k < m; k++) {
                q[k] /= s;
            }
            GromovWasserstein.Result xy = GromovWasserstein.conditionalGradient(a, p, b, q,
                    GromovWasserstein.Options.defaults());
            GromovWasserstein.Result yx = GromovWasserstein.conditionalGradient(b, q, a, p,
                    GromovWasserstein.Options.defaults());
            assertTrue(xy.converged() && yx.converged());
            assertEquals(xy.distance(), yx.distance(), 1e-12 * xy.distance(), "trial " + trial);
            assertTrue(maxAbsDifference(xy.plan(), transpose(yx.plan(), m, n)) < 1e-12, "trial " + trial);
            // the reported distance is the 4-index sum at the plan
            assertEquals(GromovCost.gwObjective(a, b, xy.plan(), n, m), xy.distance(), 1e-12);
        }
    }

    @Test
    void entropicIsSymmetricInItsArguments() {
        SplittableRandom rng = new SplittableRandom(24);
        int n = 18;
        int m = 21;
        double[] a = distances(cloud(rng, n, 1.0, 0.5));
        double[] b = distances(cloud(rng, m, 1.0, 0.8, 0.3));
        GromovWasserstein.EntropicOptions options = GromovWasserstein.EntropicOptions.defaults(2e-2);
        GromovWasserstein.Result xy = GromovWasserstein.entropic(a, uniform(n), b, uniform(m), options);
        GromovWasserstein.Result yx = GromovWasserstein.entropic(b, uniform(m), a, uniform(n), options);
        assertTrue(xy.converged() && yx.converged());
        // the transposed problem runs its Sinkhorn updates in the other order: equal up to the inner tolerance 1e-9
        assertEquals(xy.distance(), yx.distance(), 1e-8 * xy.distance());
        assertTrue(maxAbsDifference(xy.plan(), transpose(yx.plan(), m, n)) < 1e-8);
    }

    @Test
    void theObjectiveNeverIncreasesAlongTheConditionalGradient() {
        SplittableRandom rng = new SplittableRandom(25);
        double[] a = distances(cloud(rng, 40, 1.0, 0.5));
        double[] b = distances(cloud(rng, 35, 1.0, 0.8, 0.3));
        GromovWasserstein.Result r = GromovWasserstein.conditionalGradient(a, uniform(40), b, uniform(35),
                GromovWasserstein.Options.defaults());
        List<GromovWasserstein.Step> log = r.log();
        assertEquals(r.iterations() + 1, log.size());
        for (int t = 1; t < log.size(); t++) {
            assertTrue(log.get(t).objective() <= log.get(t - 1).objective() + 1e-15, "iteration " + t);
            double alpha = log.get(t).step();
            assertTrue(alpha >= 0 && alpha <= 1, "step " + alpha);
        }
        assertEquals(log.get(log.size() - 1).objective(), r.distance(), 1e-14);
        assertTrue(r.marginalError() < 1e-14, "marginal error " + r.marginalError());
        assertEquals(0, r.innerFailures());
    }

    @Test
    void runningOutOfIterationsIsReportedNotThrown() {
        SplittableRandom rng = new SplittableRandom(26);
        double[] a = distances(cloud(rng, 20, 1.0, 0.5));
        double[] b = distances(cloud(rng, 20, 1.0, 0.8, 0.3));
        GromovWasserstein.Result cg = GromovWasserstein.conditionalGradient(a, uniform(20), b, uniform(20),
                GromovWasserstein.Options.defaults().withMaxIterations(1).withRelativeTolerance(0)
                        .withAbsoluteTolerance(0));
        assertEquals(GromovWasserstein.StopReason.MAX_ITERATIONS, cg.stopReason());
        assertFalse(cg.converged());
        assertEquals(1, cg.iterations());
        GromovWasserstein.Result e = GromovWasserstein.entropic(a, uniform(20), b, uniform(20),
                GromovWasserstein.EntropicOptions.defaults(1e-2).withMaxIterations(3));
        assertEquals(GromovWasserstein.StopReason.MAX_ITERATIONS, e.stopReason());
        assertEquals(3, e.iterations());
    }

    @Test
    void entropicStaysFiniteForTinyEpsilon() {
        SplittableRandom rng = new SplittableRandom(27);
        double[] a = distances(cloud(rng, 30, 1.0, 0.5));
        double[] b = distances(cloud(rng, 28, 1.0, 0.8, 0.3));
        // ε = 1e-4 on gradients up to ~2: exp(−C/ε) underflows entirely in the plain domain
        GromovWasserstein.Result r = GromovWasserstein.entropic(a, uniform(30), b, uniform(28),
                GromovWasserstein.EntropicOptions.defaults(1e-4).withMaxIterations(30).withInner(2000, 1e-9));
        assertTrue(r.stopReason() != GromovWasserstein.StopReason.NUMERICAL_FAILURE, r.stopReason().toString());
        assertTrue(Double.isFinite(r.distance()) && r.distance() >= 0, "distance " + r.distance());
        assertTrue(Arrays.stream(r.plan()).allMatch(v -> Double.isFinite(v) && v >= 0));
        assertTrue(r.marginalError() < 1e-6, "marginal error " + r.marginalError());
    }

    @Test
    void lineSearchFollowsPot() {
        assertEquals(0.25, GromovWasserstein.lineSearchQuadratic(2, -1, 5), 0);   // convex: −b / 2a
        assertEquals(1.0, GromovWasserstein.lineSearchQuadratic(1, -5, 5), 0);    // clipped to 1
        assertEquals(0.0, GromovWasserstein.lineSearchQuadratic(1, 5, 5), 0);     // clipped to 0
        assertEquals(1.0, GromovWasserstein.lineSearchQuadratic(-1, 0.5, 5), 0);  // concave: f(1) < f(0)
        assertEquals(0.0, GromovWasserstein.lineSearchQuadratic(-1, 1, 5), 0);    // concave, tie: 0
    }

    // ------------------------------------------------------------------------------------------------ POT 0.8.2

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "weighted"})
    void conditionalGradientAgreesWithPot(String problem) {
        double[] a = csv("gw_" + problem + "_C1.csv");
        double[] b = csv("gw_" + problem + "_C2.csv");
        double[] p = csv("gw_" + problem + "_p.csv");
        double[] q = csv("gw_" + problem + "_q.csv");
        double expected = referenceValues().get(problem + ",cg,0");
        GromovWasserstein.Result r = GromovWasserstein.conditionalGradient(a, p, b, q,
                GromovWasserstein.Options.defaults());
        assertTrue(r.converged(), r.stopReason().toString());
        assertEquals(expected, r.distance(), CG_RELATIVE_TOLERANCE * expected);
        double[] plan = csv("gw_" + problem + "_plan_cg.csv");
        assertTrue(maxAbsDifference(plan, r.plan()) < CG_PLAN_TOLERANCE,
                "plan differs by " + maxAbsDifference(plan, r.plan()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform,5e-3", "uniform,5e-2", "weighted,5e-3", "weighted,5e-2"})
    void entropicAgreesWithPot(String run) {
        String[] f = run.split(",");
        String problem = f[0];
        double epsilon = Double.parseDouble(f[1]);
        double[] a = csv("gw_" + problem + "_C1.csv");
        double[] b = csv("gw_" + problem + "_C2.csv");
        double[] p = csv("gw_" + problem + "_p.csv");
        double[] q = csv("gw_" + problem + "_q.csv");
        double expected = referenceValues().get(problem + ",entropic," + f[1]);
        double[] plan = csv("gw_" + problem + "_plan_eps" + f[1] + ".csv");
        // the default (over-relaxed Sinkhorn updates, Anderson-accelerated outer iterations), plain outer
        // iterates, and POT's plain updates and iterates all reach POT's value and plan
        int[][] settings = {{1, GromovWasserstein.DEFAULT_ACCELERATION_MEMORY}, {1, 0}, {0, 0}};
        long[] inner = new long[settings.length];
        int[] outer = new int[settings.length];
        for (int s = 0; s < settings.length; s++) {
            boolean relaxed = settings[s][0] == 1;
            GromovWasserstein.EntropicOptions o = GromovWasserstein.EntropicOptions.defaults(epsilon)
                    .withOverRelaxation(relaxed).withAcceleration(settings[s][1]);
            assertEquals(relaxed, o.overRelaxed());
            assertEquals(settings[s][1], o.accelerationMemory());
            GromovWasserstein.Result r = GromovWasserstein.entropic(new DMatrixRMaj(20, 20, true, a), p,
                    new DMatrixRMaj(25, 25, true, b), q, o);
            String label = "relaxed " + relaxed + ", memory " + settings[s][1];
            assertTrue(r.converged(), label + ": " + r.stopReason());
            assertEquals(expected, r.distance(), ENTROPIC_RELATIVE_TOLERANCE * expected, label);
            assertTrue(maxAbsDifference(plan, r.plan()) < ENTROPIC_PLAN_TOLERANCE,
                    label + ": plan differs by " + maxAbsDifference(plan, r.plan()));
            assertTrue(r.marginalError() < 1e-8, label + ": marginal error " + r.marginalError());
            for (double v : r.plan()) {
                assertTrue(v >= 0, label + ": a negative plan entry " + v);
            }
            inner[s] = r.innerIterations();
            outer[s] = r.iterations();
        }
        // Anderson mixing reaches the tolerance in fewer outer iterations (22 vs 51, 16 vs 41, 24 vs 41, 15 vs 31)
        assertTrue(outer[0] < outer[1], "accelerated " + outer[0] + " outer iterations, plain " + outer[1]);
        if (epsilon < 1e-2) {
            assertTrue(inner[1] < inner[2], "over-relaxed " + inner[1] + " inner iterations, plain " + inner[2]);
        }
    }

    // ------------------------------------------------------------------------------------------------ validation

    @Test
    void badInputIsRejectedWithTheArgumentNamed() {
        double[] a = {0, 1, 1, 0};
        double[] b = {0, 2, 1, 2, 0, 1, 1, 1, 0};
        double[] p = {0.5, 0.5};
        double[] q = {0.2, 0.3, 0.5};
        GromovWasserstein.Options cg = GromovWasserstein.Options.defaults();
        assertMessage("A has 4 entries but p has 3", () -> GromovWasserstein.conditionalGradient(a, q, b, q, cg));
        assertMessage("B has 9 entries but q has 2", () -> GromovWasserstein.conditionalGradient(a, p, b, p, cg));
        assertMessage("A must not be null", () -> GromovWasserstein.conditionalGradient((double[]) null, p, b, q, cg));
        assertMessage("A must be symmetric, but A[0,1] = 1.0 and A[1,0] = 2.0",
                () -> GromovWasserstein.conditionalGradient(new double[] {0, 1, 2, 0}, p, b, q, cg));
        assertMessage("q[1] must be >= 0", () -> GromovWasserstein.conditionalGradient(a, p,
                new double[] {0, 1, 1, 0}, new double[] {1.5, -0.5}, cg));
        assertMessage("p and q must have equal mass", () -> GromovWasserstein.entropic(a, p, b,
                new double[] {0.2, 0.3, 0.6}, GromovWasserstein.EntropicOptions.defaults(0.1)));
        assertMessage("A must be square, got 2x3", () -> GromovWasserstein.entropic(new DMatrixRMaj(2, 3), p,
                new DMatrixRMaj(3, 3), q, GromovWasserstein.EntropicOptions.defaults(0.1)));
        assertMessage("initialPlan row 0 sums to 0.3", () -> GromovWasserstein.conditionalGradient(
                GromovCost.dense(a, 2, b, 3), p, q, new double[] {0.1, 0.1, 0.1, 0.1, 0.2, 0.4}, cg));
        assertMessage("options must not be null", () -> GromovWasserstein.conditionalGradient(a, p, b, q, null));
        assertMessage("epsilon must be > 0 and finite, got -1.0",
                () -> GromovWasserstein.EntropicOptions.defaults(-1));
        assertMessage("maxIterations must be >= 1, got 0", () -> cg.withMaxIterations(0));
        assertMessage("relativeTolerance must be >= 0 and finite, got NaN",
                () -> cg.withRelativeTolerance(Double.NaN));
        assertMessage("checkEvery must be >= 1, got 0",
                () -> GromovWasserstein.EntropicOptions.defaults(0.1).withCheckEvery(0));
        assertMessage("accelerationMemory must be in 0..20, got -1",
                () -> GromovWasserstein.EntropicOptions.defaults(0.1).withAcceleration(-1));
        assertMessage("accelerationMemory must be in 0..20, got 21",
                () -> GromovWasserstein.EntropicOptions.defaults(0.1).withAcceleration(21));
        assertEquals(GromovWasserstein.DEFAULT_ACCELERATION_MEMORY,
                GromovWasserstein.EntropicOptions.defaults(0.1).accelerationMemory());
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), "message: " + e.getMessage());
    }
}
