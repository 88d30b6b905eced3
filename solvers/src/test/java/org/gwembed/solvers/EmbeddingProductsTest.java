package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MetricSpace;
import org.junit.jupiter.api.Test;

/**
 * The GW products of EW_λ's sides against the naive triple sums and the 4-index G, on every kind of space (Fourier
 * ring products on the plane and the sphere, dense on a finite space without structure), with plans that leave some
 * grid points empty (restricted GEMMs) or none (structured products), in both precisions.
 */
class EmbeddingProductsTest {

    private static final double DOUBLE_TOLERANCE = 1e-11;
    private static final double SINGLE_TOLERANCE = 2e-5;

    /** Distances of random points on a line: a metric, symmetric with zero diagonal. */
    private static double[] lineDistances(int n, SplittableRandom rng) {
        double[] x = rng.doubles(n).toArray();
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = Math.abs(x[i] - x[j]);
            }
        }
        return d;
    }

    /** A rows × cols plan; with {@code sparse}, every third grid point (column of P₁, row of P₂) holds no mass. */
    private static double[] plan(int rows, int cols, boolean dataMajor, boolean sparse, SplittableRandom rng) {
        double[] p = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int grid = dataMajor ? c : r;
                p[r * cols + c] = sparse && grid % 3 == 0 ? 0.0 : rng.nextDouble() / (rows * cols);
            }
        }
        return p;
    }

    /** A P Bᵀ by the triple sum. */
    private static double[] naive(double[] a, int n, double[] p, double[] b, int m) {
        double[] ap = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < m; k++) {
                    ap[i * m + k] += a[i * n + t] * p[t * m + k];
                }
            }
        }
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int t = 0; t < m; t++) {
                    s += ap[i * m + t] * b[k * m + t];
                }
                out[i * m + k] = s;
            }
        }
        return out;
    }

    /** Σ (A_ii' − B_kk')² P_ik P_i'k'. */
    private static double fourIndex(double[] a, int n, double[] b, int m, double[] p) {
        double g = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                for (int i2 = 0; i2 < n; i2++) {
                    for (int k2 = 0; k2 < m; k2++) {
                        double d = a[i * n + i2] - b[k * m + k2];
                        g += d * d * p[i * m + k] * p[i2 * m + k2];
                    }
                }
            }
        }
        return g;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double worst(double[] expected, double[] actual) {
        double w = 0;
        for (int t = 0; t < expected.length; t++) {
            w = Math.max(w, Math.abs(expected[t] - actual[t]));
        }
        return w / maxAbs(expected);
    }

    @Test
    void bothSidesMatchTheTripleSumOnEverySpaceAndPath() {
        SplittableRandom rng = new SplittableRandom(21);
        MetricSpace finite = DenseMetricSpace.of(EmbeddingSpaces.parse("circle:12").distanceMatrix(), "no structure");
        for (MetricSpace x : List.of(EmbeddingSpaces.parse("plane:5"), EmbeddingSpaces.parse("sphere:4"),
                EmbeddingSpaces.parse("torus:4"), finite)) {
            int big = x.size();
            double[] dx = x.distanceMatrix().data;
            int n1 = 13;
            int n2 = 9;
            double[] d1 = lineDistances(n1, rng);
            double[] d2 = lineDistances(n2, rng);
            for (Precision precision : Precision.values()) {
                for (DistanceProducts.Choice choice : List.of(DistanceProducts.Choice.AUTO,
                        DistanceProducts.Choice.DENSE)) {
                    EmbeddingProducts products = EmbeddingProducts.of(x, d1, n1, d2, n2,
                            new EmbeddingProducts.Hints(choice, precision, 2));
                    double tolerance = precision == Precision.SINGLE ? SINGLE_TOLERANCE : DOUBLE_TOLERANCE;
                    for (boolean sparse : new boolean[] {false, true}) {
                        String what = x.description() + ", " + precision + ", " + choice + (sparse ? ", sparse" : "");
                        double[] p1 = plan(n1, big, true, sparse, rng);
                        double[] p2 = plan(big, n2, false, sparse, rng);
                        double[] m1 = new double[n1 * big];
                        double[] m2 = new double[big * n2];
                        products.left().multiply(p1, m1);
                        products.right().multiply(p2, maxAbs(p2), m2);
                        double e1 = worst(naive(d1, n1, p1, dx, big), m1);
                        double e2 = worst(naive(dx, big, p2, d2, n2), m2);
                        assertTrue(e1 < tolerance, what + ": D1 P1 D_X off by " + e1);
                        assertTrue(e2 < tolerance, what + ": D_X P2 D2 off by " + e2);
                        // the G terms through the linearisation, against the 4-index sum
                        GromovLinearisation side1 = new GromovLinearisation(products.left(), 2);
                        side1.update(p1, Double.NaN, new double[n1], new double[big]);
                        double g1 = fourIndex(d1, n1, dx, big, p1);
                        assertEquals(g1, side1.objective(), tolerance * g1, what + ": G(D1, D_X; P1)");
                        GromovLinearisation side2 = new GromovLinearisation(products.right(), 2);
                        side2.update(p2, Double.NaN, new double[big], new double[n2]);
                        double g2 = fourIndex(dx, big, d2, n2, p2);
                        assertEquals(g2, side2.objective(), tolerance * g2, what + ": G(D_X, D2; P2)");
                    }
                }
            }
        }
    }

    /** u vᵀ, row-major. */
    private static double[] outer(double[] u, double[] v) {
        double[] p = new double[u.length * v.length];
        for (int i = 0; i < u.length; i++) {
            for (int k = 0; k < v.length; k++) {
                p[i * v.length + k] = u[i] * v[k];
            }
        }
        return p;
    }

    @Test
    void rankOnePlansGiveTheTripleSumOfTheFormedPlanOnEverySpace() {
        SplittableRandom rng = new SplittableRandom(22);
        MetricSpace finite = DenseMetricSpace.of(EmbeddingSpaces.parse("circle:12").distanceMatrix(), "no structure");
        for (MetricSpace x : List.of(EmbeddingSpaces.parse("plane:5"), EmbeddingSpaces.parse("sphere:4"), finite)) {
            int big = x.size();
            double[] dx = x.distanceMatrix().data;
            int n1 = 13;
            int n2 = 9;
            double[] d1 = lineDistances(n1, rng);
            double[] d2 = lineDistances(n2, rng);
            double[] xi1 = rng.doubles(n1).toArray();
            double[] xi2 = rng.doubles(n2).toArray();
            double[] zeta = rng.doubles(big).toArray();
            for (Precision precision : Precision.values()) {
                EmbeddingProducts products = EmbeddingProducts.of(x, d1, n1, d2, n2,
                        new EmbeddingProducts.Hints(DistanceProducts.Choice.AUTO, precision, 2));
                double tolerance = precision == Precision.SINGLE ? SINGLE_TOLERANCE : DOUBLE_TOLERANCE;
                String what = x.description() + ", " + precision;
                double[] m1 = new double[n1 * big];
                double[] m2 = new double[big * n2];
                products.left().multiplyRankOne(xi1, zeta, m1);
                products.right().multiplyRankOne(zeta, xi2, m2);
                double[] p1 = outer(xi1, zeta);
                double[] p2 = outer(zeta, xi2);
                assertTrue(worst(naive(d1, n1, p1, dx, big), m1) < tolerance, what + ": D1 (xi1 zeta^T) D_X");
                assertTrue(worst(naive(dx, big, p2, d2, n2), m2) < tolerance, what + ": D_X (zeta xi2^T) D2");
            }
        }
        // the dense product and the interface's default (which forms the plan) agree with the triple sum too
        int n = 7;
        int m = 5;
        double[] a = lineDistances(n, rng);
        double[] b = lineDistances(m, rng);
        double[] u = rng.doubles(n).toArray();
        double[] v = rng.doubles(m).toArray();
        GromovProduct dense = GromovCost.dense(a, n, b, m);
        double[] out = new double[n * m];
        dense.multiplyRankOne(u, v, out);
        assertTrue(worst(naive(a, n, outer(u, v), b, m), out) < DOUBLE_TOLERANCE);
        GromovProduct byDefault = new GromovProduct() {
            public int leftSize() {
                return n;
            }

            public int rightSize() {
                return m;
            }

            public void squaredLeft(double[] p, double[] o) {
                dense.squaredLeft(p, o);
            }

            public void squaredRight(double[] q, double[] o) {
                dense.squaredRight(q, o);
            }

            public void multiply(double[] plan, double[] o) {
                dense.multiply(plan, o);
            }
        };
        double[] out2 = new double[n * m];
        byDefault.multiplyRankOne(u, v, out2);
        assertTrue(worst(out, out2) < DOUBLE_TOLERANCE);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dense.multiplyRankOne(v, u, new double[n * m]));
    }

    @Test
    void squaredTermsAreTheSquaredMatricesTimesTheWeights() {
        SplittableRandom rng = new SplittableRandom(5);
        MetricSpace x = EmbeddingSpaces.parse("plane:4");
        int big = x.size();
        double[] dx = x.distanceMatrix().data;
        int n = 7;
        double[] d = lineDistances(n, rng);
        EmbeddingProducts products = EmbeddingProducts.of(x, d, n, d, n,
                new EmbeddingProducts.Hints(DistanceProducts.Choice.AUTO, Precision.DOUBLE, 1));
        double[] w = rng.doubles(n).toArray();
        double[] z = rng.doubles(big).toArray();
        double[] out = new double[n];
        products.left().squaredLeft(w, out);
        double[] outX = new double[big];
        products.left().squaredRight(z, outX);
        double form = 0;
        double formX = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += d[i * n + j] * d[i * n + j] * w[j];
            }
            assertEquals(s, out[i], 1e-12, "(D∘D) w at " + i);
            form += w[i] * s;
        }
        for (int k = 0; k < big; k++) {
            double s = 0;
            for (int l = 0; l < big; l++) {
                s += dx[k * big + l] * dx[k * big + l] * z[l];
            }
            assertEquals(s, outX[k], 1e-12, "(D_X∘D_X) z at " + k);
            formX += z[k] * s;
        }
        assertEquals(form, products.left().squaredFormLeft(w), 1e-12);
        assertEquals(formX, products.left().squaredFormRight(z), 1e-12);
        assertEquals(formX, products.right().squaredFormLeft(z), 1e-12);
        assertEquals(form, products.right().squaredFormRight(w), 1e-12);
    }

    @Test
    void singlePrecisionNeedsLessMemory() {
        MetricSpace x = EmbeddingSpaces.parse("plane:50");
        long single = EmbeddingProducts.bytes(x, 2000, 1800,
                new EmbeddingProducts.Hints(DistanceProducts.Choice.AUTO, Precision.SINGLE, 2));
        long dbl = EmbeddingProducts.bytes(x, 2000, 1800,
                new EmbeddingProducts.Hints(DistanceProducts.Choice.AUTO, Precision.DOUBLE, 2));
        assertTrue(single < dbl, single + " >= " + dbl);
        // at least the two data matrices in double precision
        assertTrue(dbl > 8L * (2000L * 2000 + 1800L * 1800));
    }
}
