package org.gwembed.embedding;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.core.Require;

/**
 * Barycentric projection (paper eq. 37): each data point is sent to the mean of the grid points its plan row
 * reaches, {@code T₁(y¹_i) = Σ_k P₁(i, k) x_k / Σ_k P₁(i, k)}, in the coordinates of X. The normaliser is the row
 * sum, which equals ξ₁,i once the plan's marginal is exact, and keeps the result a proper mean otherwise.
 * The mean depends on the coordinates' {@link Coordinates.Kind}: Euclidean means for planes and the means of
 * Gaussians, circular means per angle for the flat torus and the circle, and on the sphere either the normalised
 * Euclidean mean or the Fréchet (Karcher) mean.
 */
public final class BarycentricProjection {

    /** How points on the sphere are averaged. */
    public enum SphereMean {
        /** The Euclidean mean projected back onto the sphere. */
        NORMALISED_EUCLIDEAN,
        /** The Fréchet mean for the great-circle distance (Karcher iteration from the normalised mean). */
        FRECHET
    }

    private BarycentricProjection() {
    }

    /**
     * Projects the data points of {@code plan}.
     *
     * @param plan          the plan, data points along rows ({@code n × N}, as P₁) when {@code dataOnRows}, else along
     *                      columns ({@code N × n}, as P₂)
     * @param dataOnRows    orientation of {@code plan}
     * @param coordinates   coordinates of X ({@code N} rows)
     * @param sphereMean    used only for {@link Coordinates.Kind#UNIT_SPHERE}
     * @return {@code n × dim} projected coordinates
     */
    public static DMatrixRMaj project(DMatrixRMaj plan, boolean dataOnRows, Coordinates coordinates,
            SphereMean sphereMean) {
        Require.nonNull(plan, "plan");
        Require.nonNull(coordinates, "coordinates");
        Require.nonNull(sphereMean, "sphereMean");
        int n = dataOnRows ? plan.numRows : plan.numCols;
        int big = dataOnRows ? plan.numCols : plan.numRows;
        if (big != coordinates.size()) {
            throw new IllegalArgumentException("plan is " + plan.numRows + "x" + plan.numCols + " but the space has "
                    + coordinates.size() + " points");
        }
        int dim = coordinates.dimension();
        DMatrixRMaj out = new DMatrixRMaj(n, dim);
        double[] w = new double[big];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int k = 0; k < big; k++) {
                w[k] = dataOnRows ? plan.unsafe_get(i, k) : plan.unsafe_get(k, i);
                total += w[k];
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("data point " + i + " has no mass in the plan");
            }
            double[] mean = switch (coordinates.kind()) {
                case EUCLIDEAN -> euclidean(w, total, coordinates);
                case ANGLES -> circular(w, coordinates);
                case UNIT_SPHERE -> sphereMean == SphereMean.FRECHET ? frechet(w, total, coordinates)
                        : normalised(euclidean(w, total, coordinates), coordinates, w);
            };
            for (int c = 0; c < dim; c++) {
                out.unsafe_set(i, c, mean[c]);
            }
        }
        return out;
    }

    /** As {@link #project(DMatrixRMaj, boolean, Coordinates, SphereMean)} with the normalised Euclidean mean. */
    public static DMatrixRMaj project(DMatrixRMaj plan, boolean dataOnRows, Coordinates coordinates) {
        return project(plan, dataOnRows, coordinates, SphereMean.NORMALISED_EUCLIDEAN);
    }

    private static double[] euclidean(double[] w, double total, Coordinates x) {
        double[] m = new double[x.dimension()];
        for (int k = 0; k < w.length; k++) {
            if (w[k] != 0) {
                for (int c = 0; c < m.length; c++) {
                    m[c] += w[k] * x.get(k, c);
                }
            }
        }
        for (int c = 0; c < m.length; c++) {
            m[c] /= total;
        }
        return m;
    }

    /** Per column: atan2(Σ w sin θ, Σ w cos θ) in [0, 2π). */
    private static double[] circular(double[] w, Coordinates x) {
        double[] m = new double[x.dimension()];
        for (int c = 0; c < m.length; c++) {
            double s = 0;
            double co = 0;
            for (int k = 0; k < w.length; k++) {
                s += w[k] * Math.sin(x.get(k, c));
                co += w[k] * Math.cos(x.get(k, c));
            }
            double a = Math.atan2(s, co);
            m[c] = a < 0 ? a + 2 * Math.PI : a;
        }
        return m;
    }

    private static double[] normalised(double[] m, Coordinates x, double[] w) {
        double norm = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
        if (norm < 1e-12) {
            // antipodal mass cancels: fall back to the heaviest point
            int best = 0;
            for (int k = 1; k < w.length; k++) {
                if (w[k] > w[best]) {
                    best = k;
                }
            }
            return new double[] {x.get(best, 0), x.get(best, 1), x.get(best, 2)};
        }
        return new double[] {m[0] / norm, m[1] / norm, m[2] / norm};
    }

    /** Karcher iteration: p ← exp_p(Σ w log_p(x_k) / Σ w) until the step is below 1e-12 rad (at most 100 steps). */
    private static double[] frechet(double[] w, double total, Coordinates x) {
        double[] p = normalised(euclidean(w, total, x), x, w);
        for (int iter = 0; iter < 100; iter++) {
            double[] v = new double[3];
            for (int k = 0; k < w.length; k++) {
                if (w[k] == 0) {
                    continue;
                }
                double[] q = {x.get(k, 0), x.get(k, 1), x.get(k, 2)};
                double cos = Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]));
                double[] t = {q[0] - cos * p[0], q[1] - cos * p[1], q[2] - cos * p[2]};
                double tn = Math.sqrt(t[0] * t[0] + t[1] * t[1] + t[2] * t[2]);
                if (tn < 1e-15) {
                    continue;
                }
                double angle = Math.atan2(tn, cos);
                for (int c = 0; c < 3; c++) {
                    v[c] += w[k] / total * angle * t[c] / tn;
                }
            }
            double vn = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (vn < 1e-12) {
                break;
            }
            double[] next = new double[3];
            for (int c = 0; c < 3; c++) {
                next[c] = Math.cos(vn) * p[c] + Math.sin(vn) * v[c] / vn;
            }
            double nn = Math.sqrt(next[0] * next[0] + next[1] * next[1] + next[2] * next[2]);
            for (int c = 0; c < 3; c++) {
                p[c] = next[c] / nn;
            }
        }
        return p;
    }
}
