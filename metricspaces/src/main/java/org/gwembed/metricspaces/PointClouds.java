package org.gwembed.metricspaces;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Distances between the rows of a point set (an {@code n × d} feature matrix, one point per row): Euclidean and
 * correlation distance, and row normalisation, as SCOT and the paper prepare single-cell data (METHOD.md §1).
 *
 * <p>Both distances are computed pairwise from the rows themselves (no Gram-matrix shortcut), so that entry
 * {@code (i, j)} equals entry {@code (j, i)} bit for bit, the diagonal is exactly 0, and small distances between
 * nearby points keep their relative accuracy. Cost {@code n² d / 2} multiply-adds, spread over {@code threads}
 * threads; {@code n = 2000, d = 50} takes well under a second.
 */
public final class PointClouds {

    private PointClouds() {
    }

    /**
     * Checks a point set: non-null, at least one row and one column, every entry finite.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static DMatrixRMaj requirePoints(DMatrixRMaj points, String name) {
        Require.nonNull(points, name);
        if (points.numRows < 1 || points.numCols < 1) {
            throw new IllegalArgumentException(name + " must have at least one row and one column, got "
                    + points.numRows + "x" + points.numCols);
        }
        int d = points.numCols;
        for (int k = 0; k < points.numRows * d; k++) {
            if (!Double.isFinite(points.data[k])) {
                throw new IllegalArgumentException(name + "[" + (k / d) + "," + (k % d) + "] must be finite, got "
                        + points.data[k] + " (points " + points.numRows + "x" + d + ")");
            }
        }
        return points;
    }

    /** {@link #euclideanDistances(DMatrixRMaj, int)} on one thread. */
    public static DMatrixRMaj euclideanDistances(DMatrixRMaj points) {
        return euclideanDistances(points, 1);
    }

    /**
     * The {@code n × n} Euclidean distances {@code ‖x_i − x_j‖ = sqrt(Σ_k (x_ik − x_jk)²)} between the rows.
     *
     * @param points  {@code n × d}, finite (not modified)
     * @param threads worker threads, {@code >= 1}
     */
    public static DMatrixRMaj euclideanDistances(DMatrixRMaj points, int threads) {
        requirePoints(points, "points");
        Require.atLeast(threads, 1, "threads");
        int n = points.numRows;
        int d = points.numCols;
        double[] x = points.data;
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        double[] o = out.data;
        Parallel.forEach(n, threads, i -> {
            int a = i * d;
            for (int j = i + 1; j < n; j++) {
                int b = j * d;
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = x[a + k] - x[b + k];
                    s += t * t;
                }
                o[i * n + j] = Math.sqrt(s);
            }
        });
        mirrorUpper(o, n);
        return out;
    }

    /** {@link #correlationDistances(DMatrixRMaj, int)} on one thread. */
    public static DMatrixRMaj correlationDistances(DMatrixRMaj points) {
        return correlationDistances(points, 1);
    }

    /**
     * The {@code n × n} correlation distances {@code 1 − ρ(x_i, x_j)} between the rows, where ρ is Pearson's
     * correlation of the two rows' entries — SciPy's {@code cdist(X, X, 'correlation')} and the metric SCOT passes
     * to scikit-learn: {@code 1 − (u − ū)·(v − v̄) / (‖u − ū‖ ‖v − v̄‖)}, clipped to {@code [0, 2]}, with an
     * exactly zero diagonal. Values lie in {@code [0, 2]}; it is not a metric (no triangle inequality) and is 0
     * between rows that are positive affine images of each other.
     *
     * @param points  {@code n × d}, finite, {@code d >= 2}, no constant row (not modified)
     * @param threads worker threads, {@code >= 1}
     * @throws IllegalArgumentException if a row is constant (its correlation is undefined); the message names it
     */
    public static DMatrixRMaj correlationDistances(DMatrixRMaj points, int threads) {
        requirePoints(points, "points");
        Require.atLeast(threads, 1, "threads");
        int n = points.numRows;
        int d = points.numCols;
        double[] c = centeredUnitRows(points);
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        double[] o = out.data;
        Parallel.forEach(n, threads, i -> {
            int a = i * d;
            for (int j = i + 1; j < n; j++) {
                int b = j * d;
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += c[a + k] * c[b + k];
                }
                o[i * n + j] = Math.min(2.0, Math.max(0.0, 1.0 - s));
            }
        });
        mirrorUpper(o, n);
        return out;
    }

    /**
     * The rows centred to mean 0 and scaled to unit Euclidean norm (row-major {@code n × d} array), so that the
     * correlation of rows {@code i, j} is the dot product of their results.
     */
    static double[] centeredUnitRows(DMatrixRMaj points) {
        int n = points.numRows;
        int d = points.numCols;
        double[] c = new double[n * d];
        for (int i = 0; i < n; i++) {
            int a = i * d;
            double mean = 0;
            for (int k = 0; k < d; k++) {
                mean += points.data[a + k];
            }
            mean /= d;
            double ss = 0;
            for (int k = 0; k < d; k++) {
                double t = points.data[a + k] - mean;
                c[a + k] = t;
                ss += t * t;
            }
            double norm = Math.sqrt(ss);
            if (!(norm > 0)) {
                throw new IllegalArgumentException("points row " + i + " is constant (all " + d + " entries equal "
                        + points.data[a] + "), so its correlation distance to other rows is undefined");
            }
            for (int k = 0; k < d; k++) {
                c[a + k] /= norm;
            }
        }
        return c;
    }

    /**
     * The rows scaled to unit Euclidean norm, {@code x_i / ‖x_i‖} (scikit-learn's {@code normalize(X, 'l2')},
     * which SCOT applies before building its graph). A zero row stays zero, as in scikit-learn.
     *
     * @param points {@code n × d}, finite (not modified)
     * @return a new matrix
     */
    public static DMatrixRMaj l2NormalizedRows(DMatrixRMaj points) {
        requirePoints(points, "points");
        int n = points.numRows;
        int d = points.numCols;
        DMatrixRMaj out = points.copy();
        double[] o = out.data;
        for (int i = 0; i < n; i++) {
            int a = i * d;
            double ss = 0;
            for (int k = 0; k < d; k++) {
                ss += o[a + k] * o[a + k];
            }
            double norm = Math.sqrt(ss);
            if (norm > 0) {
                for (int k = 0; k < d; k++) {
                    o[a + k] /= norm;
                }
            }
        }
        return out;
    }

    /**
     * The point set as a metric space with Euclidean distances.
     *
     * @param points      {@code n × d}, finite (not modified)
     * @param description what the points are, for messages and reports
     */
    public static DenseMetricSpace euclidean(DMatrixRMaj points, String description) {
        Require.nonNull(description, "description");
        return DenseMetricSpace.adopt(euclideanDistances(points, GraphGeodesics.defaultThreads()), null, List.of(),
                description + " (Euclidean, " + points.numRows + " points in R^" + points.numCols + ")");
    }

    private static void mirrorUpper(double[] o, int n) {
        for (int i = 0; i < n; i++) {
            o[i * n + i] = 0;
            for (int j = i + 1; j < n; j++) {
                o[j * n + i] = o[i * n + j];
            }
        }
    }
}
