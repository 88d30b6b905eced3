package org.gwembed.metricspaces;

import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.gwembed.core.Require;

/**
 * Synthetic labelled point sets for tests and examples, after scikit-learn's {@code make_blobs} and
 * {@code make_moons}, and the random affine maps of the paper's §6.3 (two views of one point set).
 *
 * <p>Every generator is deterministic for a given seed: it draws from {@link java.util.Random}, whose algorithm
 * (and Gaussian sampler) is fixed by its specification, so results do not change between JDKs. The numbers differ
 * from scikit-learn's (another generator), not the distributions. Points are not shuffled.
 */
public final class PointCloudGenerators {

    private PointCloudGenerators() {
    }

    /**
     * Points with class labels.
     *
     * @param points {@code n × d}, one point per row
     * @param labels the class of each point, {@code 0..classes-1} (the record's own array; do not modify)
     */
    public record LabelledPoints(DMatrixRMaj points, int[] labels) {

        /** Checks that there is one label per point. */
        public LabelledPoints {
            Require.nonNull(points, "points");
            Require.nonNull(labels, "labels");
            if (labels.length != points.numRows) {
                throw new IllegalArgumentException("labels has " + labels.length + " entries but points has "
                        + points.numRows + " rows");
            }
        }
    }

    /** {@link #blobs(int, int, double, double, long)} with scikit-learn's defaults: std 1, centres in [−10, 10]². */
    public static LabelledPoints blobs(int samples, int centers, long seed) {
        return blobs(samples, centers, 1.0, 10.0, seed);
    }

    /**
     * Isotropic Gaussian clusters in the plane ({@code make_blobs}): {@code centers} centres drawn uniformly from
     * {@code [−box, box]²}, then {@code samples / centers} points per cluster (the first {@code samples % centers}
     * clusters get one more), each centre plus N(0, std² I). Cluster {@code c} has label {@code c}; points are
     * grouped by cluster.
     *
     * @param samples number of points, {@code >= 1}
     * @param centers number of clusters, {@code >= 1}
     * @param std     cluster standard deviation, {@code >= 0}
     * @param box     half-width of the square the centres are drawn from, {@code >= 0}
     * @param seed    the random seed
     */
    public static LabelledPoints blobs(int samples, int centers, double std, double box, long seed) {
        Require.atLeast(samples, 1, "samples");
        Require.atLeast(centers, 1, "centers");
        Require.nonNegative(std, "std");
        Require.nonNegative(box, "box");
        Random rnd = new Random(seed);
        double[][] c = new double[centers][2];
        for (double[] ci : c) {
            ci[0] = -box + 2 * box * rnd.nextDouble();
            ci[1] = -box + 2 * box * rnd.nextDouble();
        }
        DMatrixRMaj p = new DMatrixRMaj(samples, 2);
        int[] labels = new int[samples];
        int row = 0;
        for (int k = 0; k < centers; k++) {
            int count = samples / centers + (k < samples % centers ? 1 : 0);
            for (int t = 0; t < count; t++) {
                p.unsafe_set(row, 0, c[k][0] + std * rnd.nextGaussian());
                p.unsafe_set(row, 1, c[k][1] + std * rnd.nextGaussian());
                labels[row] = k;
                row++;
            }
        }
        return new LabelledPoints(p, labels);
    }

    /**
     * Two interleaving half circles ({@code make_moons}): {@code samples / 2} points (label 0) at
     * {@code (cos t, sin t)} and the rest (label 1) at {@code (1 − cos t, 1 − sin t − 0.5)}, with {@code t}
     * equispaced in {@code [0, π]} (endpoints included), plus N(0, noise² I).
     *
     * @param samples number of points, {@code >= 2}
     * @param noise   standard deviation of the added noise, {@code >= 0}
     * @param seed    the random seed
     */
    public static LabelledPoints moons(int samples, double noise, long seed) {
        Require.atLeast(samples, 2, "samples");
        Require.nonNegative(noise, "noise");
        Random rnd = new Random(seed);
        int outer = samples / 2;
        int inner = samples - outer;
        DMatrixRMaj p = new DMatrixRMaj(samples, 2);
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            boolean isOuter = i < outer;
            int m = isOuter ? outer : inner;
            int t = isOuter ? i : i - outer;
            double angle = m == 1 ? 0 : Math.PI * t / (m - 1);
            double x = isOuter ? Math.cos(angle) : 1 - Math.cos(angle);
            double y = isOuter ? Math.sin(angle) : 1 - Math.sin(angle) - 0.5;
            p.unsafe_set(i, 0, x + noise * rnd.nextGaussian());
            p.unsafe_set(i, 1, y + noise * rnd.nextGaussian());
            labels[i] = isOuter ? 0 : 1;
        }
        return new LabelledPoints(p, labels);
    }

    /**
     * An affine map {@code x ↦ A x + b} of {@code R^d}, applied to row vectors as {@code X Aᵀ + 1 bᵀ}.
     *
     * @param linear the {@code d × d} matrix {@code A} (do not modify)
     * @param shift  the translation {@code b} (do not modify)
     */
    public record AffineMap(DMatrixRMaj linear, double[] shift) {

        /** Checks the shapes. */
        public AffineMap {
            Require.nonNull(linear, "linear");
            Require.nonNull(shift, "shift");
            if (linear.numRows != linear.numCols || linear.numRows != shift.length) {
                throw new IllegalArgumentException("linear must be d x d and shift d long, got " + linear.numRows
                        + "x" + linear.numCols + " and " + shift.length);
            }
        }

        /** The dimension {@code d}. */
        public int dimension() {
            return shift.length;
        }

        /** The image of every row of {@code points} ({@code n × d}), as a new matrix. */
        public DMatrixRMaj apply(DMatrixRMaj points) {
            Require.nonNull(points, "points");
            if (points.numCols != shift.length) {
                throw new IllegalArgumentException("points have " + points.numCols + " columns but the map acts on R^"
                        + shift.length);
            }
            DMatrixRMaj out = new DMatrixRMaj(points.numRows, shift.length);
            CommonOps_DDRM.multTransB(points, linear, out);
            for (int i = 0; i < out.numRows; i++) {
                for (int k = 0; k < shift.length; k++) {
                    out.unsafe_set(i, k, out.unsafe_get(i, k) + shift[k]);
                }
            }
            return out;
        }
    }

    /**
     * A random affine map {@code x ↦ R diag(s) x + b}: {@code R} a uniformly (Haar) distributed rotation
     * ({@code det R = +1}, from the QR decomposition of a Gaussian matrix with the signs fixed), {@code s_k} drawn
     * uniformly from {@code [minScale, maxScale]} (anisotropic scaling), {@code b_k} uniformly from
     * {@code [−maxShift, maxShift]}. Distances change by at most the factors {@code minScale..maxScale}.
     *
     * @param dimension {@code d >= 1}
     * @param minScale  {@code > 0}
     * @param maxScale  {@code >= minScale}
     * @param maxShift  {@code >= 0}
     * @param seed      the random seed
     */
    public static AffineMap randomAffine(int dimension, double minScale, double maxScale, double maxShift, long seed) {
        Require.atLeast(dimension, 1, "dimension");
        Require.positive(minScale, "minScale");
        Require.positive(maxScale, "maxScale");
        if (maxScale < minScale) {
            throw new IllegalArgumentException("maxScale must be >= minScale = " + minScale + ", got " + maxScale);
        }
        Require.nonNegative(maxShift, "maxShift");
        Random rnd = new Random(seed);
        int d = dimension;
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        for (int k = 0; k < d * d; k++) {
            g.data[k] = rnd.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(d, d);
        if (!qr.decompose(g.copy())) {
            throw new IllegalStateException("QR decomposition of a random Gaussian matrix failed");
        }
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj r = qr.getR(null, false);
        for (int c = 0; c < d; c++) {
            if (r.unsafe_get(c, c) < 0) {
                for (int i = 0; i < d; i++) {
                    q.unsafe_set(i, c, -q.unsafe_get(i, c));
                }
            }
        }
        if (CommonOps_DDRM.det(q) < 0) {
            for (int i = 0; i < d; i++) {
                q.unsafe_set(i, 0, -q.unsafe_get(i, 0));
            }
        }
        double[] s = new double[d];
        for (int k = 0; k < d; k++) {
            s[k] = minScale + (maxScale - minScale) * rnd.nextDouble();
        }
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                a.unsafe_set(i, k, q.unsafe_get(i, k) * s[k]);
            }
        }
        double[] b = new double[d];
        for (int k = 0; k < d; k++) {
            b[k] = -maxShift + 2 * maxShift * rnd.nextDouble();
        }
        return new AffineMap(a, b);
    }
}
