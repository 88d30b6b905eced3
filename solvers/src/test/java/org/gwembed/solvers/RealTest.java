package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The two precisions of {@link Real} compute the same things, the float one to float round-off. */
class RealTest {

    private static double[] values(Real r) {
        double[] d = new double[r.length()];
        r.copyTo(0, d, 0, d.length);
        return d;
    }

    @Test
    void scaledRowsBelowTheFloorAreStoredAsZero() {
        for (Precision p : Precision.values()) {
            Real m = Real.of(new double[] {1.0, 1e-20, 0.5, 1e-30}, p);
            double[] out = {7, 7, 7, 7};
            double[] change = {0, 0};
            m.scaleRowInto(0, 1e-10, new double[] {1, 1, 1e-290, 1}, out, 0, change, 1e-35);
            assertEquals(1e-10, out[0], 1e-10 * 1e-6, p.toString());
            assertEquals(1e-30, out[1], 1e-30 * 1e-6, p.toString());
            assertEquals(0.0, out[2], p + ": 5e-301 is below the floor");
            assertEquals(0.0, out[3], p + ": 1e-40 is below the floor");
            assertEquals(7.0, change[0], 1e-6, "largest change from the old entries");
        }
    }

    @Test
    void everyOperationAgreesBetweenThePrecisions() {
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 5;
        int cols = 7;
        double[] a = rng.doubles(rows * cols).toArray();
        double[] x = rng.doubles(cols).toArray();
        double[] w = rng.doubles(cols).toArray();
        double[][] results = new double[2][];
        for (Precision p : Precision.values()) {
            Real m = Real.of(a.clone(), p);
            assertEquals(p, m.precision());
            double[] y = new double[rows];
            m.gemv(false, rows, cols, x, y, m.vectorWork(cols), m.vectorWork(rows));
            double[] yt = new double[cols];
            m.gemv(true, rows, cols, y, yt, m.vectorWork(rows), m.vectorWork(cols));
            double squares = m.weightedSquares(cols, w, 0); // row 1
            double[] scaled = new double[cols];
            double[] change = {0, 0};
            m.scaleRowInto(2 * cols, 3.0, w, scaled, 0, change, 0.0);
            Real sum = Real.zeros(Precision.DOUBLE, cols);
            m.addTo(0, sum, 0, cols);
            m.addScatteredTo(0, sum, 0, new int[] {6, 5, 4, 3, 2, 1, 0});
            double[] product = new double[rows * rows];
            Real work = Real.gemm(false, true, rows, rows, cols, m, m, product, null);
            if (p == Precision.DOUBLE) {
                assertNull(work, "double products need no work block");
            } else {
                assertSame(work, Real.gemm(false, true, rows, rows, cols, m, m, product, work), "kept and reused");
            }
            results[p.ordinal()] = concat(y, yt, new double[] {squares, change[0], change[1]}, scaled, values(sum),
                    product);
        }
        assertArrayEquals(results[0], results[1], 1e-5);
        // the float array holds rounded values; doubles are kept exactly
        assertArrayEquals(a, Real.of(a).asDoubles(), 0.0);
        assertEquals((float) a[3], Real.of(a, Precision.SINGLE).get(3), 0.0);
    }

    @Test
    void partialWeightedSquaresAndGathersMatchLoops() {
        SplittableRandom rng = new SplittableRandom(12);
        double[] a = rng.doubles(30).toArray();
        double[] w = rng.doubles(11).toArray();
        int[] map = {9, 0, 4, 4, 10};
        for (Precision p : Precision.values()) {
            Real m = Real.of(a.clone(), p);
            for (int from = 0; from <= w.length; from++) {
                double expected = 0;
                for (int j = from; j < w.length; j++) {
                    double v = m.get(5 + j);
                    expected += v * v * w[j];
                }
                assertEquals(expected, m.weightedSquares(5, w, from), 1e-15, p + " from " + from);
            }
            Real g = Real.zeros(p, 8);
            g.gatherFrom(a, 7, map, 2);
            for (int t = 0; t < 8; t++) {
                double expected = t < 2 || t >= 2 + map.length ? 0 : (p == Precision.SINGLE
                        ? (float) a[7 + map[t - 2]] : a[7 + map[t - 2]]);
                assertEquals(expected, g.get(t), 0.0, p + " gathered " + t);
            }
        }
    }

    @Test
    void nonNegativeStoresFlushSubnormalFloatsToZero() {
        Real f = Real.zeros(Precision.SINGLE, 3);
        f.putScaled(0, new double[] {1e-39, 1.0}, 1.0);
        f.putNonNegative(2, 5e-40);
        assertArrayEquals(new double[] {0, 1, 0}, values(f), 0.0);
        Real d = Real.zeros(Precision.DOUBLE, 3);
        d.putScaled(0, new double[] {1e-39, 1.0}, 1.0);
        d.putNonNegative(2, 5e-40);
        assertArrayEquals(new double[] {1e-39, 1, 5e-40}, values(d), 0.0);
    }

    private static double[] concat(double[]... parts) {
        int length = 0;
        for (double[] q : parts) {
            length += q.length;
        }
        double[] out = new double[length];
        int at = 0;
        for (double[] q : parts) {
            System.arraycopy(q, 0, out, at, q.length);
            at += q.length;
        }
        return out;
    }
}
