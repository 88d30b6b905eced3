package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.solvers.ExactTransport.Options;
import org.gwembed.solvers.ExactTransport.Result;
import org.gwembed.solvers.ExactTransport.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** A broken pivot can loop until the pivot budget; the timeout turns that into a failure. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExactTransportTest {

    /** Marginals of the plan against a and b, and dual feasibility u_i + v_j ≤ C_ij. */
    private static final double FEASIBILITY_TOL = 1e-12;
    /** Complementary slackness and strong duality. */
    private static final double OPTIMALITY_TOL = 1e-10;
    /** A plan entry above this counts as positive for complementary slackness. */
    private static final double SUPPORT_THRESHOLD = 1e-14;
    /** Closed forms (1D quantile coupling, circle W1) and the brute-force assignment. */
    private static final double CLOSED_FORM_TOL = 1e-10;
    /** Relative agreement with POT's ot.emd2. */
    private static final double POT_RELATIVE_TOL = 1e-10;

    // ---------------------------------------------------------------- brute force

    @Test
    void givenTinyUniformProblems_whenSolved_thenCostAndPlanMatchTheBestPermutation() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int k = 1; k <= 6; k++) {
            for (int trial = 0; trial < 8; trial++) {
                double[] cost = rng.doubles(k * k, -1, 1).toArray();
                double[] w = uniform(k);
                int[] best = bestPermutation(cost, k);
                double bestCost = 0;
                for (int i = 0; i < k; i++) {
                    bestCost += cost[i * k + best[i]] / k;
                }

                Result r = ExactTransport.solve(w, w.clone(), cost, k, k, Options.defaults());

                assertEquals(Status.OPTIMAL, r.status());
                assertEquals(bestCost, r.cost(), CLOSED_FORM_TOL, "k=" + k + " trial " + trial);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double expected = j == best[i] ? 1.0 / k : 0.0;
                        assertEquals(expected, r.plan(i, j), 1e-15, "k=" + k + " P(" + i + "," + j + ")");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- optimality certificates

    @Test
    void givenTwoHundredAssortedProblems_whenSolved_thenOptimalityCertificatesHold() {
        SplittableRandom rng = new SplittableRandom(2024);
        int kinds = 8;
        for (int p = 0; p < 200; p++) {
            Problem problem = randomProblem(rng, p % kinds);
            Result r = ExactTransport.solve(problem.a, problem.b, problem.cost, problem.n, problem.m,
                    Options.defaults());
            assertCertificates(problem, r, "problem " + p + " (" + problem.label + ")");
        }
    }

    @Test
    void givenAMediumRectangularProblem_whenSolved_thenOptimalityCertificatesHold() {
        SplittableRandom rng = new SplittableRandom(77);
        int n = 300;
        int m = 400;
        double[] cost = squaredEuclidean(rng, n, m);
        Problem problem = new Problem("300x400", randomWeights(rng, n, 0.1), randomWeights(rng, m, 0.1), cost, n, m);
        Result r = ExactTransport.solve(problem.a, problem.b, cost, n, m, Options.defaults());
        assertCertificates(problem, r, problem.label);
    }

    @Test
    void givenPermutedRowsAndColumns_whenSolved_thenTheCostIsUnchanged() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 25;
        int m = 35;
        double[] cost = rng.doubles(n * m, 0, 10).map(Math::floor).toArray();
        double[] a = randomWeights(rng, n, 0.2);
        double[] b = randomWeights(rng, m, 0.2);
        int[] rowPerm = permutation(rng, n);
        int[] colPerm = permutation(rng, m);
        double[] permutedCost = new double[n * m];
        double[] pa = new double[n];
        double[] pb = new double[m];
        for (int i = 0; i < n; i++) {
            pa[i] = a[rowPerm[i]];
            for (int j = 0; j < m; j++) {
                permutedCost[i * m + j] = cost[rowPerm[i] * m + colPerm[j]];
            }
        }
        for (int j = 0; j < m; j++) {
            pb[j] = b[colPerm[j]];
        }

        double original = ExactTransport.cost(a, b, cost, n, m);
        double permuted = ExactTransport.cost(pa, pb, permutedCost, n, m);

        assertEquals(original, permuted, OPTIMALITY_TOL);
    }

    // ---------------------------------------------------------------- closed forms

    @Test
    void givenPointsOnALine_whenSolvedWithPowerCost_thenCostEqualsTheQuantileCoupling() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int p = 1; p <= 2; p++) {
            for (int trial = 0; trial < 10; trial++) {
                int n = 1 + rng.nextInt(40);
                int m = 1 + rng.nextInt(40);
                double[] x = rng.doubles(n, -2, 3).toArray();
                double[] y = rng.doubles(m, -1, 2).toArray();
                double[] a = randomWeights(rng, n, 0);
                double[] b = randomWeights(rng, m, 0);
                double[] cost = new double[n * m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        cost[i * m + j] = Math.pow(Math.abs(x[i] - y[j]), p);
                    }
                }

                double expected = quantileCouplingCost(x, a, y, b, p);
                double actual = ExactTransport.cost(a, b, cost, n, m);

                assertEquals(expected, actual, CLOSED_FORM_TOL, "p=" + p + " trial " + trial);
            }
        }
    }

    @Test
    void givenHistogramsOnACircle_whenSolvedWithArcLength_thenCostEqualsTheMedianClosedForm() {
        SplittableRandom rng = new SplittableRandom(360);
        for (int bins : new int[] {2, 7, 36, 100, 360}) {
            double width = 2 * Math.PI / bins;
            double[] cost = new double[bins * bins];
            for (int i = 0; i < bins; i++) {
                for (int j = 0; j < bins; j++) {
                    int d = Math.abs(i - j);
                    cost[i * bins + j] = width * Math.min(d, bins - d);
                }
            }
            for (int trial = 0; trial < 3; trial++) {
                double[] a = randomWeights(rng, bins, trial == 2 ? 0.3 : 0);
                double[] b = trial == 0 ? uniform(bins) : randomWeights(rng, bins, 0);

                double expected = circleW1(a, b, width);
                double actual = ExactTransport.cost(a, b, cost, bins, bins);

                assertEquals(expected, actual, CLOSED_FORM_TOL, bins + " bins, trial " + trial);
            }
        }
    }

    // ---------------------------------------------------------------- independent implementation (POT)

    @Test
    void givenPotReferenceProblems_whenSolved_thenCostMatchesOtEmd2() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : readLines("emd_reference.csv")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rows.add(line.split(","));
            }
        }
        assertEquals(3, rows.size(), "reference problems");
        for (String[] row : rows) {
            String name = row[0];
            int n = Integer.parseInt(row[1]);
            int m = Integer.parseInt(row[2]);
            double expected = Double.parseDouble(row[3]);
            double[] a = readVector("emd_" + name + "_a.csv");
            double[] b = readVector("emd_" + name + "_b.csv");
            double[] cost = readMatrix("emd_" + name + "_cost.csv", n, m);

            Result r = ExactTransport.solve(a, b, new DMatrixRMaj(n, m, true, cost));

            assertEquals(Status.OPTIMAL, r.status(), name);
            assertEquals(expected, r.cost(), POT_RELATIVE_TOL * Math.abs(expected), name);
            assertCertificates(new Problem(name, a, b, cost, n, m), r, name);
        }
    }

    // ---------------------------------------------------------------- API behaviour

    @Test
    void givenTheMatrixOverload_whenSolved_thenItAgreesWithTheArrayOverload() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 12;
        int m = 9;
        double[] cost = squaredEuclidean(rng, n, m);
        double[] a = randomWeights(rng, n, 0);
        double[] b = randomWeights(rng, m, 0);

        Result fromArray = ExactTransport.solve(a, b, cost, n, m, Options.defaults());
        Result fromMatrix = ExactTransport.solve(a, b, new DMatrixRMaj(n, m, true, cost));

        assertArrayEquals(fromArray.plan(), fromMatrix.plan(), 0);
        assertEquals(fromArray.cost(), ExactTransport.cost(a, b, new DMatrixRMaj(n, m, true, cost)), 0);
        assertEquals(n, fromMatrix.rows());
        assertEquals(m, fromMatrix.cols());
        DMatrixRMaj plan = fromMatrix.planMatrix();
        assertEquals(fromMatrix.plan(3, 4), plan.get(3, 4), 0);
        assertTrue(fromMatrix.isOptimal());
    }

    @Test
    void givenATinyPivotBudget_whenSolved_thenNonConvergenceIsReportedAsData() {
        SplittableRandom rng = new SplittableRandom(9);
        int n = 20;
        double[] cost = squaredEuclidean(rng, n, n);
        double[] w = uniform(n);

        Result r = ExactTransport.solve(w, w, cost, n, n, Options.defaults().withMaxIterations(3));

        assertEquals(Status.MAX_ITERATIONS, r.status());
        assertEquals(3, r.iterations());
        assertTrue(r.marginalError() > 0, "mass still on the artificial arcs: " + r.marginalError());
        for (double x : r.plan()) {
            assertTrue(x >= 0, "plan entry " + x);
        }
    }

    @Test
    void givenMassesDifferingWithinTolerance_whenSolved_thenBIsRescaledToTheMassOfA() {
        SplittableRandom rng = new SplittableRandom(10);
        int n = 6;
        int m = 7;
        double[] cost = rng.doubles(n * m).toArray();
        double[] a = randomWeights(rng, n, 0);
        double[] b = randomWeights(rng, m, 0);
        for (int j = 0; j < m; j++) {
            b[j] *= 1 + 1e-11;
        }

        Result r = ExactTransport.solve(a, b, cost, n, m, Options.defaults());

        assertEquals(Status.OPTIMAL, r.status());
        assertTrue(r.marginalError() < 1e-10, "marginal error " + r.marginalError());
        assertTrue(r.marginalError() > 0, "b was rescaled");
    }

    @Test
    void givenZeroTotalMass_whenSolved_thenThePlanIsEmptyAndTheDualsFeasible() {
        double[] cost = {3, -1, 2, 0.5, 4, -2};
        Result r = ExactTransport.solve(new double[2], new double[3], cost, 2, 3, Options.defaults());

        assertEquals(Status.OPTIMAL, r.status());
        assertEquals(0, r.cost());
        assertArrayEquals(new double[6], r.plan());
        assertCertificates(new Problem("zero mass", new double[2], new double[3], cost, 2, 3), r, "zero mass");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void givenBadInput_whenSolved_thenIllegalArgumentNamesTheArgument() {
        double[] a = {0.5, 0.5};
        double[] b = {0.25, 0.25, 0.5};
        double[] cost = {1, 2, 3, 4, 5, 6};
        Options o = Options.defaults();

        double[] nanCost = cost.clone();
        nanCost[4] = Double.NaN;
        assertMessage(() -> ExactTransport.solve(a, b, nanCost, 2, 3, o), "cost[1][1]", "NaN");
        double[] infCost = cost.clone();
        infCost[0] = Double.NEGATIVE_INFINITY;
        assertMessage(() -> ExactTransport.solve(a, b, infCost, 2, 3, o), "cost[0][0]", "-Infinity");
        assertMessage(() -> ExactTransport.solve(new double[] {1.5, -0.5}, b, cost, 2, 3, o), "a[1]", "-0.5");
        assertMessage(() -> ExactTransport.solve(a, new double[] {0.5, Double.NaN, 0.5}, cost, 2, 3, o), "b[1]",
                "NaN");
        assertMessage(() -> ExactTransport.solve(a, new double[] {0.25, 0.25, 0.6}, cost, 2, 3, o), "a sums to 1.0",
                "b sums to 1.");
        assertMessage(() -> ExactTransport.solve(a, b, cost, 3, 2, o), "3x2", "2 and 3 entries");
        assertMessage(() -> ExactTransport.solve(a, b, new double[5], 2, 3, o), "5 entries", "2x3");
        assertMessage(() -> ExactTransport.solve(a, b, new DMatrixRMaj(2, 2)), "2x2", "2 and 3 entries");
        assertMessage(() -> ExactTransport.solve(a, b, cost, 0, 3, o), "rows n", "0");
        assertMessage(() -> ExactTransport.solve(null, b, cost, 2, 3, o), "a must not be null");
        assertMessage(() -> Options.defaults().withMaxIterations(0), "maxIterations", "0");
        assertMessage(() -> Options.defaults().withMassTolerance(-1e-9), "massTolerance", "-1.0E-9");
        assertMessage(() -> Options.defaults().withPivotTolerance(Double.NaN), "pivotTolerance", "NaN");
    }

    // ---------------------------------------------------------------- helpers

    private record Problem(String label, double[] a, double[] b, double[] cost, int n, int m) {
    }

    private static void assertCertificates(Problem p, Result r, String what) {
        int n = p.n;
        int m = p.m;
        assertEquals(Status.OPTIMAL, r.status(), what);
        assertEquals(n * m, r.plan().length, what);
        int support = 0;
        double primal = 0;
        double[] colSums = new double[m];
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0; j < m; j++) {
                double x = r.plan(i, j);
                assertTrue(x >= 0, what + ": P(" + i + "," + j + ") = " + x);
                rowSum += x;
                colSums[j] += x;
                primal += x * p.cost[i * m + j];
                double slack = p.cost[i * m + j] - r.u()[i] - r.v()[j];
                assertTrue(slack >= -FEASIBILITY_TOL, what + ": dual infeasible at (" + i + "," + j + "): " + slack);
                if (x > SUPPORT_THRESHOLD) {
                    support++;
                    assertEquals(0, slack, OPTIMALITY_TOL, what + ": complementary slackness at (" + i + "," + j + ")");
                }
            }
            assertEquals(p.a[i], rowSum, FEASIBILITY_TOL, what + ": row " + i);
        }
        for (int j = 0; j < m; j++) {
            assertEquals(p.b[j], colSums[j], FEASIBILITY_TOL, what + ": column " + j);
        }
        assertTrue(support <= n + m - 1, what + ": basic plan has " + support + " positive entries");
        double dual = 0;
        for (int i = 0; i < n; i++) {
            dual += p.a[i] * r.u()[i];
        }
        for (int j = 0; j < m; j++) {
            dual += p.b[j] * r.v()[j];
        }
        assertEquals(primal, r.cost(), OPTIMALITY_TOL, what + ": reported cost");
        assertEquals(primal, dual, OPTIMALITY_TOL, what + ": strong duality");
        assertTrue(r.marginalError() <= 2 * (n + m) * FEASIBILITY_TOL, what + ": marginal error " + r.marginalError());
    }

    /** Problem kinds: 0 1×1, 1 1×m, 2 n×1, 3 rectangular, 4 zero masses, 5 integer ties, 6 negative, 7 all. */
    private static Problem randomProblem(SplittableRandom rng, int kind) {
        int n;
        int m;
        switch (kind) {
            case 0 -> {
                n = 1;
                m = 1;
            }
            case 1 -> {
                n = 1;
                m = 1 + rng.nextInt(20);
            }
            case 2 -> {
                n = 1 + rng.nextInt(20);
                m = 1;
            }
            default -> {
                n = 2 + rng.nextInt(40);
                m = 2 + rng.nextInt(40);
            }
        }
        double zeroFraction = kind == 4 || kind == 7 ? 0.3 : 0;
        double[] a;
        double[] b;
        if (kind == 5 || kind == 7) {
            // masses on a coarse lattice: many partial sums coincide, so many pivots are degenerate
            a = latticeWeights(rng, n, zeroFraction);
            b = latticeWeights(rng, m, zeroFraction);
        } else {
            a = randomWeights(rng, n, zeroFraction);
            b = randomWeights(rng, m, zeroFraction);
        }
        double[] cost = new double[n * m];
        for (int k = 0; k < cost.length; k++) {
            cost[k] = switch (kind) {
                case 5 -> rng.nextInt(4);
                case 6 -> rng.nextDouble(-5, 5);
                case 7 -> rng.nextInt(7) - 3;
                default -> rng.nextDouble();
            };
        }
        return new Problem("kind " + kind + ", " + n + "x" + m, a, b, cost, n, m);
    }

    /** Random weights summing to 1, with about {@code zeroFraction} of them zero (never all). */
    private static double[] randomWeights(SplittableRandom rng, int k, double zeroFraction) {
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = rng.nextDouble() < zeroFraction ? 0 : 0.05 + rng.nextDouble();
        }
        w[rng.nextInt(k)] = 0.05 + rng.nextDouble();
        return normalise(w);
    }

    /** Weights that are multiples of 1/16 before normalisation, with zeros as in {@link #randomWeights}. */
    private static double[] latticeWeights(SplittableRandom rng, int k, double zeroFraction) {
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = rng.nextDouble() < zeroFraction ? 0 : 1 + rng.nextInt(3);
        }
        w[rng.nextInt(k)] = 2;
        return normalise(w);
    }

    private static double[] normalise(double[] w) {
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static double[] uniform(int k) {
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        return w;
    }

    private static double[] squaredEuclidean(SplittableRandom rng, int n, int m) {
        double[] x = rng.doubles(2 * n).toArray();
        double[] y = rng.doubles(2 * m).toArray();
        double[] cost = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double dx = x[2 * i] - y[2 * j];
                double dy = x[2 * i + 1] - y[2 * j + 1];
                cost[i * m + j] = dx * dx + dy * dy;
            }
        }
        return cost;
    }

    private static int[] permutation(SplittableRandom rng, int k) {
        int[] p = new int[k];
        for (int i = 0; i < k; i++) {
            p[i] = i;
        }
        for (int i = k - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The permutation σ minimising Σ_i C(i, σ(i)), by enumerating all k! of them. */
    private static int[] bestPermutation(double[] cost, int k) {
        int[] current = new int[k];
        for (int i = 0; i < k; i++) {
            current[i] = i;
        }
        int[] best = current.clone();
        double bestValue = Double.POSITIVE_INFINITY;
        // Heap's algorithm
        int[] counters = new int[k];
        int i = 0;
        while (true) {
            double value = 0;
            for (int r = 0; r < k; r++) {
                value += cost[r * k + current[r]];
            }
            if (value < bestValue) {
                bestValue = value;
                best = current.clone();
            }
            while (i < k && counters[i] >= i) {
                counters[i] = 0;
                i++;
            }
            if (i >= k) {
                return best;
            }
            int swap = i % 2 == 0 ? 0 : counters[i];
            int t = current[swap];
            current[swap] = current[i];
            current[i] = t;
            counters[i]++;
            i = 0;
        }
    }

    /** The monotone (north-west corner on sorted points) coupling's cost Σ |x − y|^p. */
    private static double quantileCouplingCost(double[] x, double[] a, double[] y, double[] b, int p) {
        Integer[] ix = sortedOrder(x);
        Integer[] iy = sortedOrder(y);
        double total = 0;
        int i = 0;
        int j = 0;
        double leftA = a[ix[0]];
        double leftB = b[iy[0]];
        while (i < x.length && j < y.length) {
            double mass = Math.min(leftA, leftB);
            total += mass * Math.pow(Math.abs(x[ix[i]] - y[iy[j]]), p);
            leftA -= mass;
            leftB -= mass;
            // advance whichever side is exhausted (the smaller remainder on round-off)
            if (leftA <= leftB) {
                if (++i < x.length) {
                    leftA = a[ix[i]];
                }
            } else if (++j < y.length) {
                leftB = b[iy[j]];
            }
        }
        return total;
    }

    private static Integer[] sortedOrder(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (s, t) -> Double.compare(values[s], values[t]));
        return order;
    }

    /**
     * W₁ on the circle of equal bins (Werman, Peleg, Rosenfeld 1985; Rabin, Delon, Gousseau 2011): with the
     * cumulative difference D_i = Σ_{k ≤ i} (a_k − b_k), W₁ = width · min_c Σ_i |D_i − c|, attained at a median.
     */
    private static double circleW1(double[] a, double[] b, double width) {
        int n = a.length;
        double[] d = new double[n];
        double run = 0;
        for (int i = 0; i < n; i++) {
            run += a[i] - b[i];
            d[i] = run;
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        double median = sorted[n / 2];
        double total = 0;
        for (double x : d) {
            total += Math.abs(x - median);
        }
        return width * total;
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    private static List<String> readLines(String name) throws IOException {
        InputStream in = ExactTransportTest.class.getResourceAsStream("/reference/" + name);
        assertNotNull(in, "test resource /reference/" + name);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }

    private static double[] readVector(String name) throws IOException {
        return readLines(name).stream().filter(s -> !s.isBlank()).mapToDouble(Double::parseDouble).toArray();
    }

    private static double[] readMatrix(String name, int n, int m) throws IOException {
        List<String> lines = readLines(name);
        assertEquals(n, lines.size(), name + " rows");
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i).split(",");
            assertEquals(m, cells.length, name + " row " + i);
            for (int j = 0; j < m; j++) {
                out[i * m + j] = Double.parseDouble(cells[j]);
            }
        }
        return out;
    }
}
