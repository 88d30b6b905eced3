package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.gwembed.metricspaces.CircleSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.junit.jupiter.api.Test;

class PlanProductsTest {

    /** A symmetric n × n matrix with entries in [0, 1). */
    private static double[] symmetric(int n, SplittableRandom rng) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextDouble();
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return d;
    }

    /**
     * A rows × cols plan with the given fill on the columns not in {@code emptyEvery}, tiny entries (below the
     * drop threshold) elsewhere, so that both the kept entries and the inactive columns are exercised.
     */
    private static double[] plan(int rows, int cols, double fill, int emptyEvery, SplittableRandom rng) {
        double[] p = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                boolean empty = k % emptyEvery == 0;
                p[i * cols + k] = !empty && rng.nextDouble() < fill ? rng.nextDouble() : 1e-20 * rng.nextDouble();
            }
        }
        return p;
    }

    private static double[] naive(double[] a, int rows, int inner, double[] b, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < inner; t++) {
                double v = a[i * inner + t];
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] += v * b[t * cols + j];
                }
            }
        }
        return out;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /**
     * A localised plan, as EW_λ produces at small ε: data point i (in a shuffled order) puts its mass on a bump of
     * radius r around grid point (i · side / rows, (i · 7) mod side) of a side × side grid; every tenth data point
     * holds nothing above the drop threshold, and the bumps never reach the last grid row.
     */
    private static double[] localisedPlan(int rows, int side, int radius, SplittableRandom rng) {
        int big = side * side;
        int[] shuffled = new int[rows];
        for (int i = 0; i < rows; i++) {
            shuffled[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        double[] p = new double[rows * big];
        for (int i = 0; i < rows; i++) {
            int at = shuffled[i];
            int cy = Math.min(side - 2 - radius, at * side / rows);
            int cx = (at / 3) % side;
            for (int k = 0; k < big; k++) {
                int dy = k / side - cy;
                int dx = k % side - cx;
                boolean in = at % 10 != 0 && dy * dy + dx * dx <= radius * radius;
                p[i * big + k] = in ? 0.1 + rng.nextDouble() : 1e-19 * rng.nextDouble();
            }
        }
        return p;
    }

    /**
     * The products agree with the naive one to 1e-12 of its largest entry (1e-5 in single precision, where a sum
     * of 300 float products is good to ~1e-7 relative per term); returns the largest deviation over that scale.
     */
    private static double assertProduct(double[] expected, double[] out, double[] outT, int n, int grid,
            double tolerance, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < grid; k++) {
                double e = expected[i * grid + k];
                assertEquals(e, out[i * grid + k], tolerance * scale, "D·P " + what + " at " + i + "," + k);
                assertEquals(e, outT[k * n + i], tolerance * scale, "P·D " + what + " at " + k + "," + i);
                worst = Math.max(worst, Math.max(Math.abs(e - out[i * grid + k]), Math.abs(e - outT[k * n + i])));
            }
        }
        return worst / scale;
    }

    @Test
    void everyPathMatchesTheNaiveProductBothWays() {
        SplittableRandom rng = new SplittableRandom(11);
        // n above one cache block and one chunk (128) and a multiple of neither
        int n = 300;
        int side = 9;
        int grid = side * side;
        double[] d = symmetric(n, rng);
        int[] permutation = PlanChunks.localityRank(org.gwembed.metricspaces.PlaneGrid.of(side, 1.0));
        List<double[]> plans = new ArrayList<>();
        for (double fill : new double[] {0.02, 0.1, 0.9}) {
            plans.add(plan(n, grid, fill, 5, rng));
        }
        plans.add(localisedPlan(n, side, 2, rng));
        for (int which = 0; which < plans.size(); which++) {
            double[] p = plans.get(which);
            double[] pt = transpose(p, n, grid);
            double[] expected = naive(d, n, n, p, grid);
            for (PlanProducts.Path path : new PlanProducts.Path[] {null, PlanProducts.Path.DENSE,
                    PlanProducts.Path.SPARSE, PlanProducts.Path.CHUNKED}) {
                for (int[] rank : new int[][] {null, permutation}) {
                    for (Precision precision : Precision.values()) {
                        String what = "plan " + which + ", path " + path + (rank == null ? "" : ", ranked") + ", "
                                + precision;
                        double[] out = new double[n * grid];
                        Arrays.fill(out, Double.NaN); // every entry must be written
                        SymmetricOperand sd = new SymmetricOperand(d, n, precision);
                        PlanProducts.Product one = PlanProducts.multiply(sd,
                                new PlanSupport(p, n, grid, true), out, rank, path, 2);
                        double[] outT = new double[grid * n];
                        Arrays.fill(outT, Double.NaN);
                        PlanProducts.Product two = PlanProducts.multiply(sd,
                                new PlanSupport(pt, n, grid, false), outT, rank, path, 2);
                        if (path != null) {
                            assertEquals(path, one.path(), what);
                            assertEquals(path, two.path(), what);
                        }
                        assertArrayEquals(one.active(), two.active(), "the same grid points are active both ways, "
                                + what);
                        boolean single = precision == Precision.SINGLE;
                        double deviation = assertProduct(expected, out, outT, n, grid, single ? 1e-5 : 1e-12, what);
                        if (single && one.path() != PlanProducts.Path.SPARSE) {
                            // the GEMM paths really ran in single precision
                            assertTrue(deviation > 1e-10, what + ": deviation " + deviation);
                        }
                        int count = 0;
                        for (int k = 0; k < grid; k++) {
                            count += one.active()[k] ? 1 : 0;
                            if (which < 3) {
                                assertEquals(k % 5 != 0, one.active()[k], "grid point " + k + " active, " + what);
                            } else if (k >= grid - side) {
                                assertFalse(one.active()[k], "last grid row is inactive, " + what);
                            }
                            if (!one.active()[k]) {
                                for (int i = 0; i < n; i++) {
                                    assertEquals(0.0, out[i * grid + k], "inactive column " + k + " is zero, " + what);
                                    assertEquals(0.0, outT[k * n + i], "inactive row " + k + " is zero, " + what);
                                }
                            }
                        }
                        assertEquals(count, one.activeCount(), what);
                        if (single) {
                            // into float outputs over every grid point, as the structured D_X products take them
                            Real f1 = Real.zeros(Precision.SINGLE, n * grid);
                            Real f2 = Real.zeros(Precision.SINGLE, grid * n);
                            double[] nan = new double[n * grid];
                            Arrays.fill(nan, Double.NaN); // every entry must be written
                            f1.copyFrom(nan, 0, 0, n * grid);
                            f2.copyFrom(nan, 0, 0, n * grid);
                            assertEquals(one.path(), PlanProducts.multiply(sd, new PlanSupport(p, n, grid,
                                    true), f1, rank, path, 2).path(), what);
                            PlanProducts.multiply(sd, new PlanSupport(pt, n, grid, false), f2, rank, path,
                                    2);
                            for (int t = 0; t < n * grid; t++) {
                                assertEquals(out[t], f1.get(t), 1e-6 * Math.abs(out[t]) + 1e-300, "float D·P " + what);
                                assertEquals(outT[t], f2.get(t), 1e-6 * Math.abs(outT[t]) + 1e-300,
                                        "float P·D " + what);
                            }
                        }
                        // the same products on the active grid points only, in the matrix's precision
                        PlanProducts.Compact c1 = PlanProducts.multiplyOnActive(sd,
                                new PlanSupport(p, n, grid, true), rank, path, 2);
                        PlanProducts.Compact c2 = PlanProducts.multiplyOnActive(sd,
                                new PlanSupport(pt, n, grid, false), rank, path, 2);
                        assertEquals(one.path(), c1.path(), what);
                        assertEquals(two.path(), c2.path(), what);
                        assertArrayEquals(PlanSupport.indices(one.active(), count), c1.grid(), what);
                        assertArrayEquals(c1.grid(), c2.grid(), what);
                        assertEquals(single, c1.values().single(), what);
                        assertEquals(n * count, c1.values().length(), what);
                        assertEquals(n * count, c2.values().length(), what);
                        double[] v1 = new double[n * count];
                        double[] v2 = new double[n * count];
                        c1.values().copyTo(0, v1, 0, n * count);
                        c2.values().copyTo(0, v2, 0, n * count);
                        for (int i = 0; i < n; i++) {
                            for (int a = 0; a < count; a++) {
                                int k = c1.grid()[a];
                                assertEquals(out[i * grid + k], v1[i * count + a], 1e-6 * Math.abs(out[i * grid + k])
                                        + 1e-300, "compact D·P " + what + " at " + i + "," + k);
                                assertEquals(outT[k * n + i], v2[a * n + i], 1e-6 * Math.abs(outT[k * n + i])
                                        + 1e-300, "compact P·D " + what + " at " + k + "," + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theObjectivesSquaredFormMatchesTheNaiveSum() {
        SplittableRandom rng = new SplittableRandom(65);
        for (int n : new int[] {1, 3, 4, 37, 402}) {
            double[] d = symmetric(n, rng);
            double[] w = rng.doubles(n).toArray();
            double naive = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    naive += w[i] * d[i * n + j] * d[i * n + j] * w[j];
                }
            }
            for (Precision precision : Precision.values()) {
                SymmetricOperand sd = new SymmetricOperand(d, n, precision);
                double worst = 0;
                for (int threads : new int[] {1, 2, 3}) {
                    double form = sd.squaredForm(w, threads);
                    // single precision: entries rounded to floats, 6e-8 relative each
                    assertEquals(naive, form, (precision == Precision.SINGLE ? 2e-7 : 1e-13) * naive, "n " + n);
                    worst = Math.max(worst, Math.abs(form - naive) / naive);
                }
                if (precision == Precision.SINGLE && n > 30) {
                    assertTrue(worst > 1e-12, "the float copy was used: " + worst);
                }
            }
        }
        SymmetricOperand sd = new SymmetricOperand(new double[9], 3, Precision.DOUBLE);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sd.squaredForm(new double[2], 1));
        assertTrue(e.getMessage().contains("w has 2 entries, expected 3"), e.getMessage());
    }

    @Test
    void planSummaryIsTheSameOnAnyNumberOfThreads() {
        SplittableRandom rng = new SplittableRandom(13);
        int n = 301;
        int side = 9;
        double[] p = localisedPlan(n, side, 2, rng);
        double[] pt = transpose(p, n, side * side);
        for (boolean dataMajor : new boolean[] {true, false}) {
            double[] stored = dataMajor ? p : pt;
            PlanSupport one = new PlanSupport(stored, n, side * side, dataMajor, 1);
            for (int threads : new int[] {2, 3, 8}) {
                PlanSupport many = new PlanSupport(stored, n, side * side, dataMajor, threads);
                String what = (dataMajor ? "data-major" : "grid-major") + ", " + threads + " threads";
                assertEquals(one.drop, many.drop, what);
                assertArrayEquals(one.kept, many.kept, what);
                assertArrayEquals(one.argmax, many.argmax, what);
                assertArrayEquals(one.active, many.active, what);
                assertEquals(one.entries, many.entries, what);
                assertEquals(one.activeCount, many.activeCount, what);
            }
            // given the largest entry (as JointEmbedding has it from the plans' change), the same summary
            double largest = Arrays.stream(stored).map(Math::abs).max().getAsDouble();
            PlanSupport known = new PlanSupport(stored, n, side * side, dataMajor, 2, largest);
            assertEquals(one.drop, known.drop);
            assertArrayEquals(one.kept, known.kept);
            assertArrayEquals(one.argmax, known.argmax);
            assertArrayEquals(one.active, known.active);
            // and the summary itself, against a direct count
            long entries = 0;
            for (double v : p) {
                entries += v > one.drop ? 1 : 0;
            }
            assertEquals(entries, one.entries);
            assertTrue(one.activeCount < side * side, "the last grid row holds nothing");
        }
    }

    @Test
    void theCostModelPicksThePathMeasuredFastest() {
        int n = 2000;
        int big = 900;
        long all = (long) n * big;
        // the paper's rolls at iteration 40 on 30 × 30: 7 % kept, 514 grid points active, chunks doing 17.7 %
        // of the full work; measured 88 ms chunked, 120 ms sparse, ~130 ms dense on the active columns
        assertEquals(PlanProducts.Path.CHUNKED, PlanProducts.cheapest(n, 514, 7 * all / 100, 177 * all / 1000,
                true, false));
        // chunks not formed yet: the first call asks whether forming them could pay
        assertEquals(PlanProducts.Path.CHUNKED, PlanProducts.cheapest(n, 514, 7 * all / 100, 7 * all / 100,
                true, false));
        // scattered supports (chunks doing the full work): sparse loop
        assertEquals(PlanProducts.Path.SPARSE, PlanProducts.cheapest(n, 514, 7 * all / 100, 514L * n, true,
                false));
        // dense plans: one GEMM
        assertEquals(PlanProducts.Path.DENSE, PlanProducts.cheapest(n, big, all, -1, true, false));
        assertEquals(PlanProducts.Path.DENSE, PlanProducts.cheapest(n, big, all / 2, all / 2, true, false));
        // the break-even: chunks doing 0.4 / 0.9 of the dense work
        assertEquals(PlanProducts.Path.CHUNKED, PlanProducts.cheapest(n, big, all / 4, all * 43 / 100, true,
                false));
        assertEquals(PlanProducts.Path.DENSE, PlanProducts.cheapest(n, big, all / 4, all * 46 / 100, true,
                false));
        // single precision: the GEMM paths twice as fast, so the scattered case above goes dense
        assertEquals(PlanProducts.Path.DENSE, PlanProducts.cheapest(n, 514, 7 * all / 100, 514L * n, true,
                true));
        assertEquals(PlanProducts.Path.CHUNKED, PlanProducts.cheapest(n, 514, 7 * all / 100, 177 * all / 1000,
                true, true));
        // the pure-Java BLAS: the sparse loop at any fill
        assertEquals(PlanProducts.Path.SPARSE, PlanProducts.cheapest(n, big, all, -1, false, false));
        assertEquals(PlanProducts.Path.SPARSE, PlanProducts.cheapest(n, 514, 7 * all / 100, 177 * all / 1000,
                false, false));
    }

    @Test
    void localityRankIsAPermutationThatKeepsNeighboursTogether() {
        for (MetricSpace x : new MetricSpace[] {org.gwembed.metricspaces.PlaneGrid.of(30, 1.3),
                org.gwembed.metricspaces.EmbeddingSpaces.parse("sphere:12"), CircleSpace.unit(100)}) {
            int big = x.size();
            int[] rank = PlanChunks.localityRank(x);
            int[] at = new int[big];
            Arrays.fill(at, -1);
            for (int k = 0; k < big; k++) {
                assertEquals(-1, at[rank[k]], "rank " + rank[k] + " given twice in " + x.description());
                at[rank[k]] = k;
            }
            // consecutive ranks are a grid step or two apart (nearest neighbours), far closer than random pairs
            double consecutive = 0;
            double nearest = 0;
            double all = 0;
            for (int r = 0; r + 1 < big; r++) {
                consecutive += x.distance(at[r], at[r + 1]);
            }
            for (int k = 0; k < big; k++) {
                double closest = Double.POSITIVE_INFINITY;
                for (int l = 0; l < big; l++) {
                    all += x.distance(k, l);
                    if (l != k) {
                        closest = Math.min(closest, x.distance(k, l));
                    }
                }
                nearest += closest;
            }
            consecutive /= big - 1;
            nearest /= big;
            all /= (double) big * big;
            assertTrue(consecutive < 2.5 * nearest && consecutive < 0.3 * all, x.description() + ": consecutive "
                    + consecutive + ", nearest neighbour " + nearest + ", mean " + all);
        }
    }

    @Test
    void productsWithTheGridDistanceSkipInactiveGridPointsExactly() {
        SplittableRandom rng = new SplittableRandom(12);
        int rows = 40;
        int big = 25;
        double[] d = symmetric(big, rng);
        for (Precision precision : Precision.values()) {
            // one matrix for several products, as in a run: its work blocks are kept from one product to the next,
            // so the second, over fewer active points, reuses larger blocks
            SymmetricOperand sd = new SymmetricOperand(d, big, precision);
            for (int pattern = 0; pattern < 2; pattern++) {
                boolean[] active = new boolean[big];
                int count = 0;
                for (int k = 0; k < big; k++) {
                    active[k] = pattern == 0 ? k % 3 != 1 : k % 4 == 0;
                    count += active[k] ? 1 : 0;
                }
                // Q (rows × N) zero outside the active columns, and its transpose for the other side
                double[] q = new double[rows * big];
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < big; k++) {
                        q[i * big + k] = active[k] ? rng.nextDouble() - 0.5 : 0.0;
                    }
                }
                double[] expected = naive(q, rows, big, d, big);
                double[] out = new double[rows * big];
                // Q given by its active columns (rows of Qᵀ), as multiplyOnActive returns it
                int[] map = PlanSupport.indices(active, count);
                Real qa = Real.zeros(precision, rows * count);
                Real qta = Real.zeros(precision, count * rows);
                for (int i = 0; i < rows; i++) {
                    for (int a = 0; a < count; a++) {
                        qa.set(i * count + a, q[i * big + map[a]]);
                        qta.set(a * rows + i, q[i * big + map[a]]);
                    }
                }
                EmbeddingProducts.compactTimesSymmetric(new PlanProducts.Compact(qa, map, null), rows, sd, out);
                double[] outT = new double[big * rows];
                EmbeddingProducts.symmetricTimesCompact(sd, new PlanProducts.Compact(qta, map, null), rows, outT);
                // entries of Q in [-0.5, 0.5), D in [0, 1), sums of 17 terms: single precision is good to ~1e-6
                double tolerance = precision == Precision.SINGLE ? 1e-5 : 1e-13;
                double worst = 0;
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < big; k++) {
                        double e = expected[i * big + k];
                        String at = i + "," + k + ", " + precision + ", pattern " + pattern;
                        assertEquals(e, out[i * big + k], tolerance, "Q·D at " + at);
                        assertEquals(e, outT[k * rows + i], tolerance, "D·Q at " + at);
                        worst = Math.max(worst, Math.abs(e - out[i * big + k]));
                    }
                }
                if (precision == Precision.SINGLE) {
                    assertTrue(worst > 1e-12, "single precision really used: " + worst);
                }
            }
        }
    }
}
