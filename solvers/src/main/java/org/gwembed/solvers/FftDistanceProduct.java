package org.gwembed.solvers;

import org.gwembed.metricspaces.GridStructure;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * {@code P · D} for a grid whose distance depends only on per-axis offsets ({@link GridStructure} with every axis
 * translation invariant; 1 or 2 axes): {@code D} is Toeplitz (non-periodic axis) or circulant (periodic axis) per
 * axis, so each row of {@code P}, seen as an image on the grid, is convolved with the distance profile
 * {@code f(δ) = √(Σ_a S_a(0, δ_a))}. Non-periodic axes are zero-padded to {@code 2 n_a} so the circular convolution
 * of the FFT equals the linear one.
 *
 * <p>The profile is real and even, so its spectrum {@code Ĝ} is real, and two real rows of {@code P} travel
 * together as the real and imaginary parts of one complex transform. A 2D transform is done axis by axis, skipping
 * the zero padding on the way in and the unneeded outputs on the way out. Per pair of rows:
 * {@code 2 n_0} FFTs of length {@code L_1} and {@code 2 L_1} of length {@code L_0} (JTransforms).
 */
final class FftDistanceProduct implements DistanceProduct {

    private final int[] shape;
    private final int[] padded;
    private final int n;
    private final double[] spectrum; // real Ĝ, L0 x L1 (or L0 for one axis)
    private final int threads;

    /** Whether the structure allows this product. */
    static boolean supports(GridStructure grid) {
        return grid != null && (grid.axes().size() == 1 || grid.axes().size() == 2) && grid.translationInvariant();
    }

    FftDistanceProduct(GridStructure grid, int threads) {
        if (!supports(grid)) {
            throw new IllegalArgumentException("FFT products need a translation-invariant grid of 1 or 2 axes");
        }
        this.threads = Require.atLeast(threads, 1, "threads");
        int axes = grid.axes().size();
        shape = grid.shape();
        n = grid.size();
        padded = new int[axes];
        for (int a = 0; a < axes; a++) {
            padded[a] = grid.axes().get(a).periodic() ? shape[a] : 2 * shape[a];
        }
        // Distance profile on the padded torus, then its (real) spectrum.
        int l0 = padded[0];
        int l1 = axes == 2 ? padded[1] : 1;
        double[] g = new double[2 * l0 * l1];
        for (int d0 = 0; d0 < l0; d0++) {
            double s0 = offsetSquared(grid.axes().get(0), d0, l0);
            if (Double.isNaN(s0)) {
                continue;
            }
            for (int d1 = 0; d1 < l1; d1++) {
                double s1 = axes == 2 ? offsetSquared(grid.axes().get(1), d1, l1) : 0;
                if (Double.isNaN(s1)) {
                    continue;
                }
                g[2 * (d0 * l1 + d1)] = Math.sqrt(s0 + s1);
            }
        }
        if (axes == 2) {
            forward2d(g, l0, l1, new DoubleFFT_1D(l0), new DoubleFFT_1D(l1), l0, new double[2 * l0]);
        } else {
            new DoubleFFT_1D(l0).complexForward(g);
        }
        spectrum = new double[l0 * l1];
        for (int k = 0; k < spectrum.length; k++) {
            spectrum[k] = g[2 * k];
        }
    }

    /**
     * The squared distance along an axis for the cyclic offset {@code d} of the padded length {@code l}: the offset
     * {@code d} or {@code d − l}; NaN in the padding gap that no pair of grid points reaches.
     */
    private static double offsetSquared(GridStructure.Axis axis, int d, int l) {
        int na = axis.size();
        if (axis.periodic()) {
            return axis.squaredDistance(0, d);
        }
        if (d < na) {
            return axis.squaredDistance(0, d);
        }
        if (d > l - na) {
            return axis.squaredDistance(0, l - d);
        }
        return Double.NaN;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public String kind() {
        StringBuilder b = new StringBuilder("fft ");
        for (int a = 0; a < padded.length; a++) {
            b.append(a == 0 ? "" : "x").append(padded[a]);
        }
        return b.toString();
    }

    @Override
    public void multiplyRight(double[] p, int rows, double[] out) {
        if (p.length < (long) rows * n || out.length < (long) rows * n) {
            throw new IllegalArgumentException("P must be " + rows + "x" + n + ", got " + p.length + " entries");
        }
        int pairs = (rows + 1) / 2;
        int l0 = padded[0];
        int l1 = padded.length == 2 ? padded[1] : 1;
        Parallel.forRange(pairs, threads, (long) l0 * l1 * 20, (from, to) -> {
            DoubleFFT_1D f0 = new DoubleFFT_1D(l0);
            DoubleFFT_1D f1 = padded.length == 2 ? new DoubleFFT_1D(l1) : null;
            double[] z = new double[2 * l0 * l1];
            double[] column = new double[2 * l0];
            for (int pair = from; pair < to; pair++) {
                int r0 = 2 * pair;
                int r1 = r0 + 1 < rows ? r0 + 1 : -1;
                java.util.Arrays.fill(z, 0.0);
                // load: row r0 as real part, row r1 as imaginary part
                if (padded.length == 2) {
                    int n0 = shape[0];
                    int n1 = shape[1];
                    for (int k0 = 0; k0 < n0; k0++) {
                        for (int k1 = 0; k1 < n1; k1++) {
                            int src = k0 * n1 + k1;
                            int dst = 2 * (k0 * l1 + k1);
                            z[dst] = p[r0 * n + src];
                            z[dst + 1] = r1 >= 0 ? p[r1 * n + src] : 0;
                        }
                    }
                    // forward along axis 1 on the non-zero rows, then along axis 0 on every column
                    for (int k0 = 0; k0 < n0; k0++) {
                        f1.complexForward(z, 2 * k0 * l1);
                    }
                    columns(z, l0, l1, f0, column, true);
                    multiply(z);
                    columns(z, l0, l1, f0, column, false);
                    for (int k0 = 0; k0 < n0; k0++) {
                        f1.complexInverse(z, 2 * k0 * l1, true);
                    }
                    for (int k0 = 0; k0 < n0; k0++) {
                        for (int k1 = 0; k1 < n1; k1++) {
                            int dst = k0 * n1 + k1;
                            int src = 2 * (k0 * l1 + k1);
                            out[r0 * n + dst] = z[src];
                            if (r1 >= 0) {
                                out[r1 * n + dst] = z[src + 1];
                            }
                        }
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        z[2 * k] = p[r0 * n + k];
                        z[2 * k + 1] = r1 >= 0 ? p[r1 * n + k] : 0;
                    }
                    f0.complexForward(z);
                    multiply(z);
                    f0.complexInverse(z, true);
                    for (int k = 0; k < n; k++) {
                        out[r0 * n + k] = z[2 * k];
                        if (r1 >= 0) {
                            out[r1 * n + k] = z[2 * k + 1];
                        }
                    }
                }
            }
        });
    }

    private void multiply(double[] z) {
        for (int k = 0; k < spectrum.length; k++) {
            double s = spectrum[k];
            z[2 * k] *= s;
            z[2 * k + 1] *= s;
        }
    }

    /** Complex FFT (forward or inverse, scaled) along axis 0 of an interleaved {@code l0 × l1} array. */
    private static void columns(double[] z, int l0, int l1, DoubleFFT_1D f0, double[] column, boolean forward) {
        for (int k1 = 0; k1 < l1; k1++) {
            for (int k0 = 0; k0 < l0; k0++) {
                int src = 2 * (k0 * l1 + k1);
                column[2 * k0] = z[src];
                column[2 * k0 + 1] = z[src + 1];
            }
            if (forward) {
                f0.complexForward(column);
            } else {
                f0.complexInverse(column, true);
            }
            for (int k0 = 0; k0 < l0; k0++) {
                int dst = 2 * (k0 * l1 + k1);
                z[dst] = column[2 * k0];
                z[dst + 1] = column[2 * k0 + 1];
            }
        }
    }

    private static void forward2d(double[] z, int l0, int l1, DoubleFFT_1D f0, DoubleFFT_1D f1, int rows,
            double[] column) {
        for (int k0 = 0; k0 < rows; k0++) {
            f1.complexForward(z, 2 * k0 * l1);
        }
        columns(z, l0, l1, f0, column, true);
    }
}
