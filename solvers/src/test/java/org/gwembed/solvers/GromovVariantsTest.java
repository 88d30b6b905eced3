package org.gwembed.solvers;

import static org.gwembed.solvers.GromovWassersteinTest.cloud;
import static org.gwembed.solvers.GromovWassersteinTest.csv;
import static org.gwembed.solvers.GromovWassersteinTest.distances;
import static org.gwembed.solvers.GromovWassersteinTest.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fused, entropic fused and semi-relaxed GW against the numbers of {@code reference/gw_variants_reference.py}
 * (POT 0.8.2's fused GW; POT 0.9.7.dev0's entropic fused and semi-relaxed GW, transcribed there), closed forms and
 * invariances, and entropic GW's reported value at small ε.
 */
class GromovVariantsTest {

    /**
     * Conditional gradients (fused, semi-relaxed): the same directions, line searches and stopping iteration as the
     * reference, so only round-off differs. Measured: fused ≤ 7e-16 relative on the value, ≤ 1.3e-16 on plan
     * entries; semi-relaxed ≤ 1.6e-14 relative (POT updates its value incrementally along the line search, we
     * evaluate it afresh), plans identical.
     */
    private static final double CG_RELATIVE_TOLERANCE = 1e-10;
    private static final double CG_PLAN_TOLERANCE = 1e-10;

    /**
     * Entropic fused GW: as entropic GW (GromovWassersteinTest), the Sinkhorn sub-problems are solved to different
     * stopping rules (POT: L2 error of one marginal below 1e-9 or 1000 iterations; ours: L1 error below 1e-9), so
     * plans agree at the 1e-9 level. The value is compared with the reference's value formed the same way as ours
     * (the 4-index sum at the plan) and with POT's own (target marginals). Measured: ≤ 1.7e-9 relative to either,
     * ≤ 5.5e-10 per plan entry, same number of outer iterations.
     */
    private static final double ENTROPIC_RELATIVE_TOLERANCE = 2e-8;
    private static final double ENTROPIC_PLAN_TOLERANCE = 1e-8;

    // ------------------------------------------------------------------------------------------------ reference

    private record Problem(double[] a, double[] b, double[] m, double[] p, double[] q) {
        int n() {
            return p.length;
        }

        int cols() {
            return q.length;
        }
    }

    private static Problem problem(String name) {
        String prefix = "gwv_" + name + "_";
        return new Problem(csv(prefix + "C1.csv"), csv(prefix + "C2.csv"), csv(prefix + "M.csv"),
                csv(prefix + "p.csv"), csv(prefix + "q.csv"));
    }

    /** gwv_reference_values.csv: "problem,method" → {alpha, epsilon, value, value at own marginals}. */
    private static Map<String, double[]> referenceValues() {
        try (InputStream in = GromovVariantsTest.class.getResourceAsStream("/reference/gwv_reference_values.csv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> all = r.lines().filter(l -> !l.isBlank()).toList();
            Map<String, double[]> out = new HashMap<>();
            for (String line : all.subList(1, all.size())) {
                String[] f = line.split(",");
                out.put(f[0] + "," + f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5])});
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double maxAbsDifference(double[] x, double[] y) {
        assertEquals(x.length, y.length);
        double max = 0;
        for (int t = 0; t < x.length; t++) {
            max = Math.max(max, Math.abs(x[t] - y[t]));
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "weighted"})
    void fusedAgreesWithPot(String name) {
        Problem pr = problem(name);
        double[] ref = referenceValues().get(name + ",fgw");
        GromovWasserstein.Result r = FusedGromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(), pr.q(),
                pr.m(), FusedGromovWasserstein.Options.defaults().withAlpha(ref[0]));
        assertTrue(r.converged(), r.stopReason().toString());
        assertEquals(ref[2], r.distance(), CG_RELATIVE_TOLERANCE * ref[2]);
        double[] plan = csv("gwv_" + name + "_plan_fgw.csv");
        assertTrue(maxAbsDifference(plan, r.plan()) < CG_PLAN_TOLERANCE, "plan differs by "
                + maxAbsDifference(plan, r.plan()));
        assertTrue(r.marginalError() < 1e-14, "marginal error " + r.marginalError());
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "weighted"})
    void entropicFusedAgreesWithPot(String name) {
        Problem pr = problem(name);
        double[] ref = referenceValues().get(name + ",efgw");
        GromovWasserstein.Result r = FusedGromovWasserstein.entropic(new DMatrixRMaj(pr.n(), pr.n(), true, pr.a()),
                pr.p(), new DMatrixRMaj(pr.cols(), pr.cols(), true, pr.b()), pr.q(),
                new DMatrixRMaj(pr.n(), pr.cols(), true, pr.m()),
                FusedGromovWasserstein.EntropicOptions.defaults(ref[1]).withAlpha(ref[0]));
        assertTrue(r.converged(), r.stopReason().toString());
        assertEquals(ref[3], r.distance(), ENTROPIC_RELATIVE_TOLERANCE * ref[3]);
        // POT's own value (gwloss with p, q) differs from the 4-index sum only by its marginal error
        assertEquals(ref[2], r.distance(), ENTROPIC_RELATIVE_TOLERANCE * ref[2]);
        double[] plan = csv("gwv_" + name + "_plan_efgw.csv");
        assertTrue(maxAbsDifference(plan, r.plan()) < ENTROPIC_PLAN_TOLERANCE, "plan differs by "
                + maxAbsDifference(plan, r.plan()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "weighted"})
    void semiRelaxedAgreesWithPot(String name) {
        Problem pr = problem(name);
        double[] ref = referenceValues().get(name + ",srgw");
        GromovWasserstein.Result r = SemiRelaxedGromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(),
                pr.cols(), SemiRelaxedGromovWasserstein.Options.defaults());
        assertTrue(r.converged(), r.stopReason().toString());
        assertEquals(ref[2], r.distance(), CG_RELATIVE_TOLERANCE * ref[2]);
        double[] plan = csv("gwv_" + name + "_plan_srgw.csv");
        assertTrue(maxAbsDifference(plan, r.plan()) < CG_PLAN_TOLERANCE, "plan differs by "
                + maxAbsDifference(plan, r.plan()));
        assertTrue(r.marginalError() < 1e-14, "row marginal error " + r.marginalError());
        // the 4-index sum at the plan, with its own column sums
        assertEquals(GromovCost.gwObjective(pr.a(), pr.b(), r.plan(), pr.n(), pr.cols()), r.distance(),
                1e-14);
    }

    /**
     * Entropic semi-relaxed GW: no Sinkhorn inside, the same multiplicative update as the reference with the row
     * normalisation in the log domain instead of the plain one, so only round-off differs. Measured: ≤ 4.5e-15
     * relative on the value, ≤ 7e-18 per plan entry, same iteration count.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uniform", "weighted"})
    void entropicSemiRelaxedAgreesWithPot(String name) {
        Problem pr = problem(name);
        double[] ref = referenceValues().get(name + ",esrgw");
        GromovWasserstein.Result r = SemiRelaxedGromovWasserstein.entropic(
                new DMatrixRMaj(pr.n(), pr.n(), true, pr.a()), pr.p(),
                new DMatrixRMaj(pr.cols(), pr.cols(), true, pr.b()),
                SemiRelaxedGromovWasserstein.EntropicOptions.defaults(ref[1]));
        assertEquals(GromovWasserstein.StopReason.PLAN_CHANGE, r.stopReason());
        assertEquals(ref[2], r.distance(), CG_RELATIVE_TOLERANCE * ref[2]);
        double[] plan = csv("gwv_" + name + "_plan_esrgw.csv");
        assertTrue(maxAbsDifference(plan, r.plan()) < CG_PLAN_TOLERANCE, "plan differs by "
                + maxAbsDifference(plan, r.plan()));
        assertTrue(r.marginalError() < 1e-14, "row marginal error " + r.marginalError());
        assertEquals(GromovCost.gwObjective(pr.a(), pr.b(), r.plan(), pr.n(), pr.cols()), r.distance(), 1e-14);
    }

    @Test
    void entropicSemiRelaxedStaysFiniteForTinyEpsilon() {
        Problem pr = random(40, 20, 18);
        // ε = 1e-5 on gradients up to ~4: exp(−∇/ε) underflows to 0 for every entry in the plain domain
        GromovWasserstein.Result r = SemiRelaxedGromovWasserstein.entropic(pr.a(), pr.p(), pr.b(), pr.cols(),
                SemiRelaxedGromovWasserstein.EntropicOptions.defaults(1e-5).withMaxIterations(200));
        assertTrue(r.stopReason() != GromovWasserstein.StopReason.NUMERICAL_FAILURE, r.stopReason().toString());
        assertTrue(Double.isFinite(r.distance()) && r.distance() >= 0, "distance " + r.distance());
        assertTrue(java.util.Arrays.stream(r.plan()).allMatch(v -> Double.isFinite(v) && v >= 0));
        assertTrue(r.marginalError() < 1e-14, "row marginal error " + r.marginalError());
        GromovWasserstein.Result few = SemiRelaxedGromovWasserstein.entropic(pr.a(), pr.p(), pr.b(), pr.cols(),
                SemiRelaxedGromovWasserstein.EntropicOptions.defaults(1e-2).withMaxIterations(3));
        assertEquals(GromovWasserstein.StopReason.MAX_ITERATIONS, few.stopReason());
        assertEquals(3, few.iterations());
    }

    /**
     * Partial GW: the same exact-OT vertices (of the problem extended by a dummy point), POT's line search and stop
     * rule, so only round-off differs. Our value is the 4-index sum without ½, twice POT's partial_gw_dist.
     * Measured: ≤ 3.2e-14 relative on the value, ≤ 2.4e-16 per plan entry; both runs end, as POT's, when the line
     * search finds no decrease (17 and 13 iterations).
     */
    @ParameterizedTest
    @ValueSource(strings = {"uniform", "weighted"})
    void partialAgreesWithPot(String name) {
        Problem pr = problem(name);
        double[] ref = referenceValues().get(name + ",pgw");
        double mass = ref[1];
        GromovWasserstein.Result r = PartialGromovWasserstein.solve(new DMatrixRMaj(pr.n(), pr.n(), true, pr.a()),
                pr.p(), new DMatrixRMaj(pr.cols(), pr.cols(), true, pr.b()), pr.q(), mass,
                PartialGromovWasserstein.Options.defaults());
        assertTrue(r.converged(), r.stopReason().toString());
        assertEquals(2 * ref[2], r.distance(), CG_RELATIVE_TOLERANCE * 2 * ref[2]);
        assertEquals(ref[3], r.distance(), CG_RELATIVE_TOLERANCE * ref[3]);
        double[] plan = csv("gwv_" + name + "_plan_pgw.csv");
        assertTrue(maxAbsDifference(plan, r.plan()) < CG_PLAN_TOLERANCE, "plan differs by "
                + maxAbsDifference(plan, r.plan()));
        // feasible: mass m, marginals below p and q
        assertTrue(r.marginalError() < 1e-14, "constraint violation " + r.marginalError());
        assertEquals(mass, java.util.Arrays.stream(r.plan()).sum(), 1e-14);
    }

    @Test
    void partialWithTheFullMassIsACouplingAndRejectsTooMuchMass() {
        Problem pr = random(41, 14, 17);
        GromovWasserstein.Result r = PartialGromovWasserstein.solve(pr.a(), pr.p(), pr.b(), pr.q(), 1.0,
                PartialGromovWasserstein.Options.defaults());
        assertTrue(r.converged(), r.stopReason().toString());
        double[] rows = GromovCost.rowSums(r.plan(), pr.n(), pr.cols());
        double[] cols = GromovCost.columnSums(r.plan(), pr.n(), pr.cols());
        for (int i = 0; i < pr.n(); i++) {
            assertEquals(pr.p()[i], rows[i], 1e-12, "row " + i);
        }
        for (int k = 0; k < pr.cols(); k++) {
            assertEquals(pr.q()[k], cols[k], 1e-12, "column " + k);
        }
        assertEquals(GromovCost.gwObjective(pr.a(), pr.b(), r.plan(), pr.n(), pr.cols()), r.distance(), 1e-14);
        assertMessage("mass must be in (0, min(sum p, sum q)] = (0, ", () -> PartialGromovWasserstein
                .solve(pr.a(), pr.p(), pr.b(), pr.q(), 1.5, PartialGromovWasserstein.Options.defaults()));
        assertMessage("mass must be in (0, min(sum p, sum q)] = (0, ", () -> PartialGromovWasserstein
                .solve(pr.a(), pr.p(), pr.b(), pr.q(), 0, PartialGromovWasserstein.Options.defaults()));
        assertMessage("tolerance must be >= 0 and finite, got -1.0",
                () -> PartialGromovWasserstein.Options.defaults().withTolerance(-1));
    }

    @Test
    void partialOfASpaceWithAnEnlargedCopyFindsTheCopy() {
        // Y = X plus 6 far points; transporting X's mass, the best plan matches X with its copy: value 0
        SplittableRandom rng = new SplittableRandom(42);
        int n = 12;
        double[][] x = cloud(rng, n, 1.0, 0.6);
        double[][] y = new double[n + 6][];
        for (int i = 0; i < n; i++) {
            y[i] = x[i];
        }
        for (int j = 0; j < 6; j++) {
            y[n + j] = new double[] {8 + rng.nextDouble(), 8 + rng.nextDouble()};
        }
        double[] a = euclidean(x);
        double[] b = euclidean(y);
        double[] p = uniform(n);
        double[] q = uniform(n + 6);
        double mass = 6.0 / 18.0; // q's mass on the copy is 12/18: a third fits inside it
        GromovWasserstein.Result r = PartialGromovWasserstein.solve(a, p, b, q, mass,
                PartialGromovWasserstein.Options.defaults());
        assertTrue(r.converged(), r.stopReason().toString());
        assertTrue(r.marginalError() < 1e-14, "constraint violation " + r.marginalError());
        // nothing is sent to the far points
        for (int i = 0; i < n; i++) {
            for (int j = n; j < n + 6; j++) {
                assertEquals(0.0, r.plan(i, j), 1e-15, i + "," + j);
            }
        }
    }

    private static double[] euclidean(double[][] x) {
        int n = x.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dx = x[i][0] - x[j][0];
                double dy = x[i][1] - x[j][1];
                d[i * n + j] = Math.sqrt(dx * dx + dy * dy);
            }
        }
        return d;
    }

    // ------------------------------------------------------------------------------------------------ closed forms

    private static Problem random(long seed, int n, int m) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = distances(cloud(rng, n, 1.0, 0.5));
        double[] b = distances(cloud(rng, m, 1.0, 0.8, 0.3));
        double[][] fx = cloud(rng, n, 1.0, 1.0);
        double[][] fy = cloud(rng, m, 1.0, 1.0);
        double[] cost = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double dx = fx[i][0] - fy[k][0];
                double dy = fx[i][1] - fy[k][1];
                cost[i * m + k] = dx * dx + dy * dy;
            }
        }
        double[] q = new double[m];
        double s = 0;
        for (int k = 0; k < m; k++) {
            q[k] = 0.5 + rng.nextDouble();
            s += q[k];
        }
        for (int k = 0; k < m; k++) {
            q[k] /= s;
        }
        return new Problem(a, b, cost, uniform(n), q);
    }

    @Test
    void theFeatureCostIsTheSquaredEuclideanDistanceOfTheRows() {
        // ot.dist by hand: rows (0, 0), (1, 2), (-1, 0.5) against (3, 4), (1, 0)
        DMatrixRMaj fx = new DMatrixRMaj(new double[][] {{0, 0}, {1, 2}, {-1, 0.5}});
        DMatrixRMaj fy = new DMatrixRMaj(new double[][] {{3, 4}, {1, 0}});
        DMatrixRMaj m = FusedGromovWasserstein.featureCost(fx, fy);
        assertEquals(3, m.numRows);
        assertEquals(2, m.numCols);
        assertArrayEquals(new double[] {25, 1, 8, 4, 28.25, 4.25}, m.data, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FusedGromovWasserstein.featureCost(fx, new DMatrixRMaj(2, 3)));
        assertTrue(e.getMessage().contains("2 and 3 columns"), e.getMessage());
        fx.set(2, 1, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> FusedGromovWasserstein.featureCost(fx, fy));
        assertTrue(e.getMessage().contains("fx[2,1]"), e.getMessage());
    }

    @Test
    void fusedWithAlphaOneIsGwStepForStep() {
        Problem pr = random(31, 17, 23);
        GromovWasserstein.Result gw = GromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(), pr.q(),
                GromovWasserstein.Options.defaults());
        GromovWasserstein.Result fused = FusedGromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(), pr.q(),
                pr.m(), FusedGromovWasserstein.Options.defaults().withAlpha(1));
        assertEquals(gw.distance(), fused.distance(), 0);
        assertArrayEquals(gw.plan(), fused.plan(), 0);
        assertEquals(gw.iterations(), fused.iterations());
        GromovWasserstein.EntropicOptions e = GromovWasserstein.EntropicOptions.defaults(2e-2);
        GromovWasserstein.Result egw = GromovWasserstein.entropic(pr.a(), pr.p(), pr.b(), pr.q(), e);
        GromovWasserstein.Result efused = FusedGromovWasserstein.entropic(pr.a(), pr.p(), pr.b(), pr.q(), pr.m(),
                FusedGromovWasserstein.EntropicOptions.defaults(2e-2).withAlpha(1));
        assertEquals(egw.distance(), efused.distance(), 0);
        assertArrayEquals(egw.plan(), efused.plan(), 0);
    }

    @Test
    void fusedWithAlphaZeroIsExactTransportOfTheFeatureCost() {
        Problem pr = random(32, 19, 16);
        ExactTransport.Result ot = ExactTransport.solve(pr.p(), pr.q(), pr.m(), pr.n(), pr.cols(),
                ExactTransport.Options.defaults());
        assertTrue(ot.isOptimal());
        GromovWasserstein.Result zero = FusedGromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(), pr.q(),
                pr.m(), FusedGromovWasserstein.Options.defaults().withAlpha(0));
        assertEquals(ot.cost(), zero.distance(), 1e-14 * ot.cost());
        assertTrue(maxAbsDifference(ot.plan(), zero.plan()) < 1e-15);
        // α → 0: F ≥ (1 − α) W_M and F ≤ (1 − α) W_M + α G(T_M), so |F − W_M| ≤ α (W_M + G(T_M))
        double gwAtOt = GromovCost.gwObjective(pr.a(), pr.b(), ot.plan(), pr.n(), pr.cols());
        for (double alpha : new double[] {1e-3, 1e-6}) {
            GromovWasserstein.Result r = FusedGromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(), pr.q(),
                    pr.m(), FusedGromovWasserstein.Options.defaults().withAlpha(alpha));
            assertEquals(ot.cost(), r.distance(), alpha * (ot.cost() + gwAtOt) + 1e-14, "alpha " + alpha);
        }
    }

    @Test
    void fusedAndSemiRelaxedAreInvariantUnderRelabellingThePoints() {
        Problem pr = random(33, 21, 18);
        int n = pr.n();
        int m = pr.cols();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = (5 * i + 2) % n; // point i of X becomes point perm[i]
        }
        double[] a2 = new double[n * n];
        double[] m2 = new double[n * m];
        double[] p2 = new double[n];
        SplittableRandom rng = new SplittableRandom(34);
        double[] p = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            p[i] = 0.5 + rng.nextDouble();
            s += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= s;
            p2[perm[i]] = p[i];
            for (int j = 0; j < n; j++) {
                a2[perm[i] * n + perm[j]] = pr.a()[i * n + j];
            }
            System.arraycopy(pr.m(), i * m, m2, perm[i] * m, m);
        }
        FusedGromovWasserstein.Options o = FusedGromovWasserstein.Options.defaults().withAlpha(0.4);
        GromovWasserstein.Result f1 = FusedGromovWasserstein.conditionalGradient(pr.a(), p, pr.b(), pr.q(), pr.m(), o);
        GromovWasserstein.Result f2 = FusedGromovWasserstein.conditionalGradient(a2, p2, pr.b(), pr.q(), m2, o);
        assertEquals(f1.distance(), f2.distance(), 1e-12 * f1.distance());
        GromovWasserstein.Result s1 = SemiRelaxedGromovWasserstein.conditionalGradient(pr.a(), p, pr.b(), m,
                SemiRelaxedGromovWasserstein.Options.defaults());
        GromovWasserstein.Result s2 = SemiRelaxedGromovWasserstein.conditionalGradient(a2, p2, pr.b(), m,
                SemiRelaxedGromovWasserstein.Options.defaults());
        assertEquals(s1.distance(), s2.distance(), 1e-12 * s1.distance());
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                assertEquals(f1.plan(i, k), f2.plan(perm[i], k), 1e-12, "fused " + i + "," + k);
                assertEquals(s1.plan(i, k), s2.plan(perm[i], k), 1e-12, "semi-relaxed " + i + "," + k);
            }
        }
    }

    @Test
    void semiRelaxedFromTheGwPlanIsAtMostGw() {
        for (long seed = 35; seed < 38; seed++) {
            Problem pr = random(seed, 16 + (int) seed % 5, 20);
            GromovWasserstein.Result gw = GromovWasserstein.conditionalGradient(pr.a(), pr.p(), pr.b(), pr.q(),
                    GromovWasserstein.Options.defaults());
            GromovWasserstein.Result sr = SemiRelaxedGromovWasserstein.conditionalGradient(
                    GromovCost.dense(pr.a(), pr.n(), pr.b(), pr.cols()), pr.p(), gw.plan(),
                    SemiRelaxedGromovWasserstein.Options.defaults());
            assertTrue(sr.distance() <= gw.distance() + 1e-15, "seed " + seed + ": " + sr.distance() + " > "
                    + gw.distance());
            List<GromovWasserstein.Step> log = sr.log();
            for (int t = 1; t < log.size(); t++) {
                assertTrue(log.get(t).objective() <= log.get(t - 1).objective() + 1e-15, "iteration " + t);
            }
            assertTrue(sr.marginalError() < 1e-14, "row marginal error " + sr.marginalError());
        }
    }

    @Test
    void semiRelaxedOfASpaceWithACopyOfItselfIsZero() {
        SplittableRandom rng = new SplittableRandom(39);
        int n = 15;
        double[] a = distances(cloud(rng, n, 1.0, 0.6));
        double[] p = uniform(n);
        // started at the identity coupling, nothing improves on 0
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = p[i];
        }
        GromovWasserstein.Result r = SemiRelaxedGromovWasserstein.conditionalGradient(GromovCost.dense(a, n, a, n), p,
                id, SemiRelaxedGromovWasserstein.Options.defaults());
        assertEquals(0.0, r.distance(), 1e-15);
        assertTrue(r.distance() >= 0);
    }

    // ------------------------------------------------------------------------------------------------ entropic GW ≥ 0

    /**
     * POT issue #406: entropic GW's value formed with the target marginals ({@code gwloss(constC, ...)} with p, q,
     * what POT reports) differs from the 4-index sum at the plan by {@code rᵀ(A∘A)(p − r) + cᵀ(B∘B)(q − c)} (plan
     * marginals r, c), which can exceed a small true value when Sinkhorn stops early. Here the sub-problems are cut
     * short at small ε on two copies of one space (true value near 0, marginal errors up to 0.6): the reported value
     * is the 4-index sum at the returned plan, never below 0, and POT's formula differs from it by exactly that term.
     */
    @Test
    void entropicGwReportsTheFourIndexSumAtItsPlan() {
        SplittableRandom rng = new SplittableRandom(406);
        int n = 24;
        double[] a = distances(cloud(rng, n, 1.0, 0.6));
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
        double[] p = uniform(n);
        GromovProduct product = GromovCost.dense(a, n, b, n);
        for (double eps : new double[] {1e-2, 1e-3, 3e-4, 1e-4}) {
            for (int inner : new int[] {1, 5, 10_000}) {
                GromovWasserstein.Result r = GromovWasserstein.entropic(a, p, b, p,
                        GromovWasserstein.EntropicOptions.defaults(eps).withMaxIterations(50).withInner(inner, 1e-9));
                String run = "eps " + eps + ", inner " + inner;
                double[] t = r.plan();
                double fourIndex = GromovCost.gwObjective(a, b, t, n, n);
                assertTrue(r.distance() >= 0, run + ": " + r.distance());
                assertEquals(Math.max(0, fourIndex), r.distance(), 1e-15, run);
                double[] rows = GromovCost.rowSums(t, n, n);
                double[] cols = GromovCost.columnSums(t, n, n);
                double[] dr = new double[n];
                double[] dc = new double[n];
                for (int i = 0; i < n; i++) {
                    dr[i] = p[i] - rows[i];
                    dc[i] = p[i] - cols[i];
                }
                double[] ar = new double[n];
                double[] bc = new double[n];
                product.squaredLeft(dr, ar);
                product.squaredRight(dc, bc);
                double predicted = GromovCost.dot(ar, rows) + GromovCost.dot(bc, cols);
                assertEquals(predicted, potValue(product, p, p, t) - fourIndex, 1e-14, run);
            }
        }
    }

    /**
     * The case of gw_variants_reference.py on which POT 0.8.2's own entropic_gromov_wasserstein returns a negative
     * value (−1.5e-16: two copies of one hop graph, ε = 2.9e-3, a permutation plan, where its
     * {@code gwloss(constC, ...)} cancels below 0 while the 4-index sum at its plan is ≈ 0). Ours reaches a
     * permutation plan too and reports the 4-index sum, clamped at 0 against the same cancellation: never below 0.
     */
    @Test
    void entropicGwIsNotNegativeWherePotsIs() {
        double[] a = csv("gwneg_C1.csv");
        double[] b = csv("gwneg_C2.csv");
        int n = 9;
        double[] ref;
        try (InputStream in = GromovVariantsTest.class.getResourceAsStream("/reference/gwneg_values.csv")) {
            List<String> all = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
            ref = java.util.Arrays.stream(all.get(1).split(",")).mapToDouble(Double::parseDouble).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double eps = ref[0];
        assertTrue(ref[1] < 0, "the reference lost its point: POT's value " + ref[1]);
        GromovWasserstein.Result r = GromovWasserstein.entropic(a, uniform(n), b, uniform(n),
                GromovWasserstein.EntropicOptions.defaults(eps));
        assertTrue(r.converged(), r.stopReason().toString());
        assertTrue(r.distance() >= 0, "distance " + r.distance());
        assertEquals(ref[2], r.distance(), 1e-15);
        for (int i = 0; i < n; i++) {
            double peak = 0;
            for (int k = 0; k < n; k++) {
                peak = Math.max(peak, r.plan(i, k));
            }
            assertEquals(1.0 / n, peak, 1e-12, "row " + i + " is not a permutation row");
        }
    }

    /** POT 0.8.2's {@code gwloss(*init_matrix(C1, C2, p, q), T)}: the tensor formed with the target marginals. */
    private static double potValue(GromovProduct product, double[] p, double[] q, double[] t) {
        double[] tens = GromovCost.tensorProduct(product, p, q, t, null);
        return GromovCost.dot(tens, t);
    }

    // ------------------------------------------------------------------------------------------------ validation

    @Test
    void badInputIsRejectedWithTheArgumentNamed() {
        double[] a = {0, 1, 1, 0};
        double[] b = {0, 2, 1, 2, 0, 1, 1, 1, 0};
        double[] p = {0.5, 0.5};
        double[] q = {0.2, 0.3, 0.5};
        FusedGromovWasserstein.Options f = FusedGromovWasserstein.Options.defaults();
        assertMessage("M has 4 entries but A is 2x2 and B is 3x3 (expected 2x3 = 6)",
                () -> FusedGromovWasserstein.conditionalGradient(a, p, b, q, new double[4], f));
        assertMessage("M[1,2] must be finite, got NaN", () -> FusedGromovWasserstein.conditionalGradient(a, p, b, q,
                new double[] {0, 0, 0, 0, 0, Double.NaN}, f));
        assertMessage("M is 3x2 but p has 2 and q 3 entries (expected 2x3)",
                () -> FusedGromovWasserstein.conditionalGradient(new DMatrixRMaj(2, 2, true, a), p,
                        new DMatrixRMaj(3, 3, true, b), q, new DMatrixRMaj(3, 2), f));
        assertMessage("alpha must be in [0.0, 1.0], got 1.5", () -> f.withAlpha(1.5));
        assertMessage("alpha must be in [0.0, 1.0], got NaN",
                () -> FusedGromovWasserstein.EntropicOptions.defaults(0.1).withAlpha(Double.NaN));
        assertMessage("epsilon must be > 0 and finite, got 0.0",
                () -> FusedGromovWasserstein.EntropicOptions.defaults(0));
        assertMessage("p and q must have equal mass", () -> FusedGromovWasserstein.conditionalGradient(a, p, b,
                new double[] {0.2, 0.3, 0.6}, new double[6], f));
        SemiRelaxedGromovWasserstein.Options s = SemiRelaxedGromovWasserstein.Options.defaults();
        assertMessage("B has 9 entries, expected 2x2 = 4",
                () -> SemiRelaxedGromovWasserstein.conditionalGradient(a, p, b, 2, s));
        assertMessage("A has 4 entries but p has 3", () -> SemiRelaxedGromovWasserstein.conditionalGradient(a, q, b,
                3, s));
        assertMessage("p[0] must be >= 0, got -0.5", () -> SemiRelaxedGromovWasserstein.conditionalGradient(a,
                new double[] {-0.5, 1.5}, b, 3, s));
        assertMessage("initialPlan row 1 sums to 0.25 but p[1] = 0.5",
                () -> SemiRelaxedGromovWasserstein.conditionalGradient(GromovCost.dense(a, 2, b, 3), p,
                        new double[] {0.1, 0.2, 0.2, 0.05, 0.1, 0.1}, s));
        assertMessage("maxIterations must be >= 1, got 0", () -> s.withMaxIterations(0));
        assertMessage("epsilon must be > 0 and finite, got -1.0",
                () -> SemiRelaxedGromovWasserstein.EntropicOptions.defaults(-1));
        assertMessage("checkEvery must be >= 1, got 0",
                () -> SemiRelaxedGromovWasserstein.EntropicOptions.defaults(0.1).withCheckEvery(0));
        assertMessage("B has 9 entries, expected 2x2 = 4", () -> SemiRelaxedGromovWasserstein.entropic(a, p, b, 2,
                SemiRelaxedGromovWasserstein.EntropicOptions.defaults(0.1)));
        assertMessage("B must be symmetric", () -> SemiRelaxedGromovWasserstein.conditionalGradient(a, p,
                new double[] {0, 1, 2, 0}, 2, s));
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), "message: " + e.getMessage());
    }
}
