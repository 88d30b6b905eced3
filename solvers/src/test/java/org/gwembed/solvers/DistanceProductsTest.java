package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.gwembed.metricspaces.CircleSpace;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.FlatTorusGrid;
import org.gwembed.metricspaces.GaussianSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.SphereGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DistanceProductsTest {

    /** Relative agreement with the dense product, as a fraction of the largest output entry. */
    private static final double AGREE = 1e-10;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(PlaneGrid.of(7, 1.3), 1, DistanceProducts.Choice.FFT),
                Arguments.of(PlaneGrid.of(6, 1.3), 2, DistanceProducts.Choice.SEPARABLE),
                Arguments.of(FlatTorusGrid.of(7, 5, 1.3), 1, DistanceProducts.Choice.FFT),
                Arguments.of(FlatTorusGrid.of(6, 6, 1.3), 2, DistanceProducts.Choice.SEPARABLE),
                Arguments.of(CircleSpace.of(11, 1.0), 1, DistanceProducts.Choice.FFT),
                Arguments.of(GaussianSpace.of(3, 0.05), 2, DistanceProducts.Choice.SEPARABLE),
                Arguments.of(PlaneGrid.of(7, 1.3), 1, DistanceProducts.Choice.FOURIER),
                Arguments.of(PlaneGrid.of(1 + 4, 1.3), 1, DistanceProducts.Choice.FOURIER),
                Arguments.of(FlatTorusGrid.of(7, 4, 1.3), 1, DistanceProducts.Choice.FOURIER),
                Arguments.of(CircleSpace.of(10, 1.0), 1, DistanceProducts.Choice.FOURIER),
                Arguments.of(SphereGrid.of(6, 1.3), 1, DistanceProducts.Choice.FOURIER),
                Arguments.of(org.gwembed.metricspaces.EmbeddedTorusGrid.of(6, 5, 1.0, 0.3, 1.3), 1,
                        DistanceProducts.Choice.FOURIER));
    }

    private static double[] denseProduct(MetricSpace s, int power, double[] p, int rows) {
        int n = s.size();
        double[] out = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < n; l++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += p[r * n + k] * Math.pow(s.distance(k, l), power);
                }
                out[r * n + l] = acc;
            }
        }
        return out;
    }

    private static void assertAgree(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], AGREE * scale, what + " entry " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void structuredProductsMatchTheDenseProduct(MetricSpace space, int power, DistanceProducts.Choice choice) {
        SplittableRandom rng = new SplittableRandom(17);
        int n = space.size();
        for (int rows : new int[] {1, 2, 5}) {
            double[] p = rng.doubles(rows * n).toArray();
            double[] expected = denseProduct(space, power, p, rows);
            for (DistanceProducts.Choice c : new DistanceProducts.Choice[] {choice, DistanceProducts.Choice.AUTO,
                DistanceProducts.Choice.DENSE}) {
                DistanceProduct product = DistanceProducts.of(space, power, c, 2);
                double[] out = new double[rows * n];
                product.multiplyRight(p, rows, out);
                assertAgree(expected, out, product.kind() + " right, rows=" + rows);
                // D · Pᵀ-shaped input: multiplyLeft(Q) with Q = N x rows equals (Qᵀ D)ᵀ since D is symmetric
                double[] q = DistanceProduct.transpose(p, rows, n);
                double[] left = new double[n * rows];
                product.multiplyLeft(q, rows, left);
                assertAgree(DistanceProduct.transpose(expected, rows, n), left, product.kind() + " left");
            }
        }
        String auto = DistanceProducts.of(space, power, DistanceProducts.Choice.AUTO, 1).kind();
        boolean fft = FftDistanceProduct.supports(space.hint(org.gwembed.metricspaces.GridStructure.class)
                .orElse(null));
        String expected = power == 2 ? "separable" : (fft && !DenseBlas.isNative()) ? "fft" : "fourier";
        assertTrue(auto.startsWith(expected), auto);
    }

    @Test
    void singlePrecisionFourierProductsAgreeToFloatAccuracy() {
        SplittableRandom rng = new SplittableRandom(18);
        for (MetricSpace space : new MetricSpace[] {PlaneGrid.of(7, 1.3), FlatTorusGrid.of(7, 4, 1.3),
            CircleSpace.of(10, 1.0), org.gwembed.metricspaces.EmbeddedTorusGrid.of(6, 5, 1.0, 0.3, 1.3),
            SphereGrid.of(6, 1.3)}) {
            int n = space.size();
            int rows = 40;
            double[] p = rng.doubles(rows * n).toArray();
            double[] expected = denseProduct(space, 1, p, rows);
            DistanceProduct product = DistanceProducts.of(space, 1, DistanceProducts.Choice.FOURIER, 2,
                    Precision.SINGLE);
            // the sphere's poles are off the rings: that product stays in double precision
            boolean offRing = space instanceof SphereGrid;
            assertEquals(offRing ? Precision.DOUBLE : Precision.SINGLE, product.precision(), product.kind());
            assertEquals(!offRing, product.kind().endsWith("(single precision)"), product.kind());
            double[] out = new double[rows * n];
            product.multiplyRight(p, rows, out);
            double[] left = new double[n * rows];
            product.multiplyLeft(DistanceProduct.transpose(p, rows, n), rows, left);
            double[] leftBack = DistanceProduct.transpose(left, n, rows);
            double scale = 0;
            double worst = 0;
            for (int k = 0; k < expected.length; k++) {
                scale = Math.max(scale, Math.abs(expected[k]));
                worst = Math.max(worst, Math.max(Math.abs(expected[k] - out[k]), Math.abs(expected[k] - leftBack[k])));
            }
            // float tables and operands: ~1e-7 per entry, sums of a few hundred terms
            assertTrue(worst <= 1e-5 * scale, product.kind() + ": deviation " + worst / scale);
            if (!offRing) {
                assertTrue(worst > 1e-12 * scale, product.kind() + " ran in single precision: " + worst / scale);
            }
            // a float operand gives the same products as the doubles it was rounded from (those are rounded to
            // floats first) in single precision, and is widened otherwise
            Real pf = Real.of(p, Precision.SINGLE);
            double[] fromFloat = new double[rows * n];
            product.multiplyRight(pf, rows, fromFloat);
            Real qf = Real.of(DistanceProduct.transpose(p, rows, n), Precision.SINGLE);
            double[] leftFromFloat = new double[n * rows];
            product.multiplyLeft(qf, rows, leftFromFloat);
            if (!offRing) {
                assertArrayEquals(out, fromFloat, 0.0, product.kind());
                assertArrayEquals(left, leftFromFloat, 0.0, product.kind());
            } else {
                assertArrayEquals(out, fromFloat, 1e-6 * scale, product.kind());
                assertArrayEquals(left, leftFromFloat, 1e-6 * scale, product.kind());
            }
            // and a double operand still works as before on a double product
            DistanceProduct dense = DistanceProducts.of(space, 1, DistanceProducts.Choice.DENSE, 1);
            double[] viaReal = new double[rows * n];
            dense.multiplyRight(Real.of(p), rows, viaReal);
            assertArrayEquals(expected, viaReal, 1e-12 * scale, "dense through Real");
        }
    }

    @Test
    void unstructuredSpacesFallBackToDenseAndForcedChoicesAreChecked() {
        MetricSpace sphere = SphereGrid.of(4, 1.3);
        assertEquals("fourier 3x5 circulant +2", DistanceProducts.of(sphere, 1, DistanceProducts.Choice.AUTO, 1)
                .kind());
        DenseMetricSpace dense = DenseMetricSpace.copyOf(PlaneGrid.of(3, 1.0));
        assertEquals("dense", DistanceProducts.of(GaussianSpace.of(3, 0.1), 1, DistanceProducts.Choice.AUTO, 1)
                .kind());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistanceProducts.of(sphere, 1, DistanceProducts.Choice.FFT, 1));
        assertTrue(e.getMessage().contains("sphere"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DistanceProducts.of(dense, 3, DistanceProducts.Choice.AUTO,
                1));
        assertInstanceOf(SeparableLogKernel.class, DistanceProducts.gibbs(PlaneGrid.of(4), 1.0,
                DistanceProducts.Choice.AUTO, 1));
        assertInstanceOf(DenseLogKernel.class, DistanceProducts.gibbs(sphere, 1.0, DistanceProducts.Choice.AUTO, 1));
        assertThrows(IllegalArgumentException.class,
                () -> DistanceProducts.gibbs(sphere, 1.0, DistanceProducts.Choice.SEPARABLE, 1));
    }
}
