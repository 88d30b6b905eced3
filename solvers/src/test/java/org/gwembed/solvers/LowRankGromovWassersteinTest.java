package org.gwembed.solvers;

import static org.gwembed.solvers.GromovWassersteinTest.csv;
import static org.gwembed.solvers.GromovWassersteinTest.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class LowRankGromovWassersteinTest {

    private static DMatrixRMaj points(String name, int d) {
        double[] v = csv(name);
        return new DMatrixRMaj(v.length / d, d, true, v);
    }

    private static DMatrixRMaj random(SplittableRandom rng, int n, int d) {
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int t = 0; t < n * d; t++) {
            x.data[t] = rng.nextDouble();
        }
        return x;
    }

    private static DMatrixRMaj squaredDistances(DMatrixRMaj x) {
        int n = x.numRows;
        int d = x.numCols;
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int f = 0; f < d; f++) {
                    double diff = x.get(i, f) - x.get(j, f);
                    s += diff * diff;
                }
                out.set(i, j, s);
            }
        }
        return out;
    }

    /** The deterministic start of lowrank_gw_reference.py. */
    private static LowRankGromovWasserstein.Factors scriptStart(int n, int m, int r, double[] a, double[] b) {
        double[] q = new double[n * r];
        double[] rr = new double[m * r];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < r; k++) {
                s += 1 + ((7 * i + 3 * k) % 5) / 4.0;
            }
            for (int k = 0; k < r; k++) {
                q[i * r + k] = a[i] * (1 + ((7 * i + 3 * k) % 5) / 4.0) / s;
            }
        }
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < r; k++) {
                s += 1 + ((5 * j + 2 * k) % 7) / 6.0;
            }
            for (int k = 0; k < r; k++) {
                rr[j * r + k] = b[j] * (1 + ((5 * j + 2 * k) % 7) / 6.0) / s;
            }
        }
        double[] g = new double[r];
        double s = 0;
        for (int k = 0; k < r; k++) {
            g[k] = 1.0 + k % 3;
            s += g[k];
        }
        for (int k = 0; k < r; k++) {
            g[k] /= s;
        }
        return new LowRankGromovWasserstein.Factors(q, rr, g);
    }

    @Test
    void matchesTheLiteralNumpyImplementation() {
        DMatrixRMaj x = points("lowrank_gw_x.csv", 2);
        DMatrixRMaj y = points("lowrank_gw_y.csv", 3);
        double[] a = uniform(x.numRows);
        double[] b = uniform(y.numRows);
        java.util.List<String> rows = java.util.Arrays.asList(new String(readAll()).split("\n"));
        for (String line : rows.subList(1, rows.size())) {
            String[] f = line.split(",");
            int r = Integer.parseInt(f[0]);
            int maxIt = Integer.parseInt(f[1]);
            double tol = Double.parseDouble(f[2]);
            int its = Integer.parseInt(f[3]);
            double value = Double.parseDouble(f[4]);
            LowRankGromovWasserstein.Options o = LowRankGromovWasserstein.Options.defaults(r).withMaxIterations(maxIt)
                    .withTolerance(tol);
            for (LowRankGromovWasserstein.Space[] s : new LowRankGromovWasserstein.Space[][] {
                    {LowRankGromovWasserstein.pointCloud(x, 1), LowRankGromovWasserstein.pointCloud(y, 1)},
                    {LowRankGromovWasserstein.dense(squaredDistances(x), "A"),
                            LowRankGromovWasserstein.dense(squaredDistances(y), "B")}}) {
                LowRankGromovWasserstein.Result res = LowRankGromovWasserstein.solve(s[0], a, s[1], b, o,
                        scriptStart(x.numRows, y.numRows, r, a, b));
                assertEquals(its, res.iterations(), "rank " + r + " " + s[0].description());
                assertEquals(value, res.distance(), 1e-9 * value + 1e-12, "rank " + r + " " + s[0].description());
                assertTrue(res.marginalError() < 1e-6, "marginal error " + res.marginalError());
                assertEquals(Double.parseDouble(f[6]), min(res.g()), 1e-7);
                assertEquals(Double.parseDouble(f[7]), max(res.g()), 1e-7);
            }
        }
    }

    private static byte[] readAll() {
        try (java.io.InputStream in = LowRankGromovWassersteinTest.class
                .getResourceAsStream("/reference/lowrank_gw_reference.csv")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }

    @Test
    void theLinearMemoryValueIsTheFourIndexSumAtTheDensePlan() {
        SplittableRandom rng = new SplittableRandom(3);
        DMatrixRMaj x = random(rng, 12, 2);
        DMatrixRMaj y = random(rng, 9, 3);
        LowRankGromovWasserstein.Result r = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(x, 0.5),
                uniform(12), LowRankGromovWasserstein.pointCloud(y, 2), uniform(9),
                LowRankGromovWasserstein.Options.defaults(4).withMaxIterations(30).withTolerance(1e-12));
        DMatrixRMaj a = squaredDistances(x);
        DMatrixRMaj b = squaredDistances(y);
        DMatrixRMaj p = r.planMatrix();
        double s = 0;
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 9; j++) {
                for (int i2 = 0; i2 < 12; i2++) {
                    for (int j2 = 0; j2 < 9; j2++) {
                        double d = 0.5 * a.get(i, i2) - 2 * b.get(j, j2);
                        s += d * d * p.get(i, j) * p.get(i2, j2);
                    }
                }
            }
        }
        assertEquals(s, r.distance(), 1e-12 * s);
    }

    @Test
    void withFullRankItIsComparableToFullRankGw() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 40;
        DMatrixRMaj x = random(rng, n, 2);
        DMatrixRMaj y = new DMatrixRMaj(n, 2);
        for (int i = 0; i < n; i++) { // a rotated copy: GW = 0 at the matching
            y.set(i, 0, 0.6 * x.get(i, 0) - 0.8 * x.get(i, 1));
            y.set(i, 1, 0.8 * x.get(i, 0) + 0.6 * x.get(i, 1));
        }
        DMatrixRMaj a = squaredDistances(x);
        DMatrixRMaj b = squaredDistances(y);
        double[] w = uniform(n);
        GromovWasserstein.Result cg = GromovWasserstein.conditionalGradient(a, w, b, w,
                GromovWasserstein.Options.defaults());
        GromovWasserstein.Result ent = GromovWasserstein.entropic(a, w, b, w,
                GromovWasserstein.EntropicOptions.defaults(5e-3));
        double trivial = GromovWasserstein.conditionalGradient(a, w, b, w,
                GromovWasserstein.Options.defaults().withMaxIterations(1)).log().get(0).objective();
        LowRankGromovWasserstein.Result lr = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(x, 1),
                w, LowRankGromovWasserstein.pointCloud(y, 1), w,
                LowRankGromovWasserstein.Options.defaults(n).withTolerance(1e-12).withMaxIterations(300));
        assertTrue(lr.distance() >= 0 && Double.isFinite(lr.distance()));
        // far below the independent coupling's value, within a small fraction of it from the full-rank solvers
        assertTrue(lr.distance() < 0.1 * trivial, lr.distance() + " vs trivial " + trivial);
        assertTrue(lr.distance() <= ent.distance() + 0.05 * trivial, lr.distance() + " vs entropic " + ent.distance());
        assertTrue(lr.distance() <= cg.distance() + 0.05 * trivial, lr.distance() + " vs cg " + cg.distance());
    }

    @Test
    void permutingThePointsPermutesTheResult() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 30;
        int m = 25;
        DMatrixRMaj x = random(rng, n, 2);
        DMatrixRMaj y = random(rng, m, 3);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = (i * 7 + 3) % n; // 7 is coprime to 30
        }
        DMatrixRMaj xp = new DMatrixRMaj(n, 2);
        for (int i = 0; i < n; i++) {
            xp.set(i, 0, x.get(perm[i], 0));
            xp.set(i, 1, x.get(perm[i], 1));
        }
        LowRankGromovWasserstein.Options o = LowRankGromovWasserstein.Options.defaults(5).withMaxIterations(100)
                .withTolerance(1e-12);
        LowRankGromovWasserstein.Factors s = LowRankGromovWasserstein.randomStart(n, m, 5, uniform(n), uniform(m), 1);
        double[] qp = new double[n * 5];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.q(), perm[i] * 5, qp, i * 5, 5);
        }
        LowRankGromovWasserstein.Result r1 = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(x, 1),
                uniform(n), LowRankGromovWasserstein.pointCloud(y, 1), uniform(m), o, s);
        LowRankGromovWasserstein.Result r2 = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(xp, 1),
                uniform(n), LowRankGromovWasserstein.pointCloud(y, 1), uniform(m), o,
                new LowRankGromovWasserstein.Factors(qp, s.r(), s.g()));
        assertEquals(r1.distance(), r2.distance(), 1e-9 * r1.distance());
        assertEquals(r1.iterations(), r2.iterations());
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                assertEquals(r1.plan(perm[i], k), r2.plan(i, k), 1e-9 / (n * m));
            }
        }
    }

    @Test
    void neverNegativeNeverNanEvenForIdenticalOrDegenerateSpaces() {
        SplittableRandom rng = new SplittableRandom(11);
        DMatrixRMaj x = random(rng, 20, 2);
        LowRankGromovWasserstein.Result same = LowRankGromovWasserstein.solve(
                LowRankGromovWasserstein.pointCloud(x, 1), uniform(20), LowRankGromovWasserstein.pointCloud(x, 1),
                uniform(20), LowRankGromovWasserstein.Options.defaults(20).withMaxIterations(50));
        assertTrue(same.distance() >= 0 && Double.isFinite(same.distance()));
        // every point the same: all costs 0, nothing moves
        DMatrixRMaj zero = new DMatrixRMaj(15, 2);
        LowRankGromovWasserstein.Result z = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(zero, 1),
                uniform(15), LowRankGromovWasserstein.pointCloud(x, 1), uniform(20),
                LowRankGromovWasserstein.Options.defaults(3).withMaxIterations(20));
        assertTrue(z.distance() >= 0 && Double.isFinite(z.distance()), "distance " + z.distance());
        // a huge fixed step: the log-domain shifts keep it finite
        LowRankGromovWasserstein.Result big = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(x, 1e3),
                uniform(20), LowRankGromovWasserstein.pointCloud(random(rng, 18, 3), 1), uniform(18),
                LowRankGromovWasserstein.Options.defaults(4).withFixedGamma(1e3).withMaxIterations(20));
        assertTrue(big.distance() >= 0 && Double.isFinite(big.distance()), "distance " + big.distance());
        for (var step : big.log()) {
            assertTrue(!Double.isNaN(step.objective()));
        }
    }

    @Test
    void badInputNamesTheArgument() {
        DMatrixRMaj x = random(new SplittableRandom(1), 10, 2);
        LowRankGromovWasserstein.Space s = LowRankGromovWasserstein.pointCloud(x, 1);
        LowRankGromovWasserstein.Options o = LowRankGromovWasserstein.Options.defaults(3);
        assertMessage("rank", () -> LowRankGromovWasserstein.Options.defaults(0));
        assertMessage("lowerBound", () -> o.withLowerBound(0.5));
        assertMessage("gamma", () -> o.withFixedGamma(-1));
        assertMessage("rank must be <= min(n, m) = 10",
                () -> LowRankGromovWasserstein.solve(s, uniform(10), s, uniform(10), o.withRank(11)));
        assertMessage("p has 9 entries, expected 10",
                () -> LowRankGromovWasserstein.solve(s, uniform(9), s, uniform(10), o));
        double[] zero = uniform(10);
        zero[0] = 0;
        zero[1] += 0.1;
        assertMessage("q[0] must be > 0", () -> LowRankGromovWasserstein.solve(s, uniform(10), s, zero, o));
        double[] heavy = uniform(10);
        heavy[0] += 1;
        assertMessage("same mass", () -> LowRankGromovWasserstein.solve(s, uniform(10), s, heavy, o));
        DMatrixRMaj nan = new DMatrixRMaj(3, 2);
        nan.set(1, 1, Double.NaN);
        assertMessage("points[1,1] must be finite", () -> LowRankGromovWasserstein.pointCloud(nan, 1));
        assertMessage("A must be", () -> LowRankGromovWasserstein.dense(new DMatrixRMaj(3, 4), "A"));
        DMatrixRMaj asym = new DMatrixRMaj(2, 2, true, 0, 1, 2, 0);
        assertMessage("A must be symmetric", () -> LowRankGromovWasserstein.dense(asym, "A"));
        assertMessage("start.g (rank = 3) has 2 entries, expected 3", () -> LowRankGromovWasserstein.solve(s,
                uniform(10), s, uniform(10), o, new LowRankGromovWasserstein.Factors(ones(30), ones(30), ones(2))));
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "'" + ex.getMessage() + "' should contain '" + part + "'");
    }

    @Test
    void twoThousandPointsRunInLinearMemory() {
        assertLinear(2_000, 5, 10);
    }

    @Test
    @Tag("slow")
    void twentyThousandPointsRunInLinearMemory() {
        assertLinear(20_000, 10, 10);
    }

    private static void assertLinear(int n, int rank, int iterations) {
        SplittableRandom rng = new SplittableRandom(13);
        DMatrixRMaj x = random(rng, n, 3);
        DMatrixRMaj y = random(rng, n, 3);
        double[] w = uniform(n);
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
        long before = sun.getCurrentThreadAllocatedBytes();
        LowRankGromovWasserstein.Result r = LowRankGromovWasserstein.solve(LowRankGromovWasserstein.pointCloud(x, 1),
                w, LowRankGromovWasserstein.pointCloud(y, 1), w,
                LowRankGromovWasserstein.Options.defaults(rank).withMaxIterations(iterations).withTolerance(1e-300));
        long allocated = sun.getCurrentThreadAllocatedBytes() - before;
        assertTrue(r.distance() >= 0 && Double.isFinite(r.distance()));
        assertEquals(iterations, r.iterations());
        // everything allocated, over all iterations, stays a small multiple of n·r doubles (an n × n would be 8 n²)
        long bound = 8L * n * rank * 200;
        assertTrue(allocated < bound, "allocated " + allocated + " bytes for n = " + n + ", r = " + rank
                + " (bound " + bound + ", an n x n matrix is " + 8L * n * n + ")");
    }
}
