package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.EmbeddingResult;

/**
 * 3D pictures of relaxed embeddings on the sphere and the torus of revolution: each measure seen by fixed orthographic
 * cameras (the hidden side pale and small, point size and colour growing with mass), and the torus's (u, v) angles.
 */
final class SurfaceViews {

    private SurfaceViews() {
    }

    /**
     * A grid of panels: one row per measure (ζ₁, ζ₂), one column per camera.
     *
     * @param xyz     the space's points in R³ (N × 3)
     * @param normals their outward normals
     */
    static BufferedImage views(EmbeddingResult r, String[] names, DMatrixRMaj xyz, DMatrixRMaj normals,
            Plots.Camera... cameras) {
        List<BufferedImage> rows = new ArrayList<>();
        double[][] zetas = {r.zeta1(), r.zeta2()};
        for (int k = 0; k < 2; k++) {
            double max = 0;
            for (double z : zetas[k]) {
                max = Math.max(max, z);
            }
            List<BufferedImage> row = new ArrayList<>();
            for (Plots.Camera c : cameras) {
                row.add(Plots.render3d(String.format("zeta%d: %s (max mass %.2g)", k + 1, names[k], max),
                        c.describe() + "; pale = far side", Plots.massPoints(xyz, normals, zetas[k]), c, 460, 440,
                        List.of(), List.of()));
            }
            rows.add(Plots.sideBySide(row.toArray(BufferedImage[]::new)));
        }
        return Plots.stacked(rows.toArray(BufferedImage[]::new));
    }

    /**
     * The major radius of a torus grid about the z axis from its points: the mean of the largest and smallest distance
     * from the axis (the grid is scaled with its distances, so R is not the generator's R).
     */
    static double majorRadius(DMatrixRMaj xyz) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < xyz.numRows; i++) {
            double rho = Math.hypot(xyz.get(i, 0), xyz.get(i, 1));
            lo = Math.min(lo, rho);
            hi = Math.max(hi, rho);
        }
        return 0.5 * (lo + hi);
    }

    /** Outward normals of points on a torus of revolution about the z axis with major radius R. */
    static DMatrixRMaj torusNormals(DMatrixRMaj xyz, double majorRadius) {
        DMatrixRMaj n = new DMatrixRMaj(xyz.numRows, 3);
        for (int i = 0; i < xyz.numRows; i++) {
            double x = xyz.get(i, 0);
            double y = xyz.get(i, 1);
            double rho = Math.hypot(x, y);
            n.set(i, 0, x - majorRadius * x / rho);
            n.set(i, 1, y - majorRadius * y / rho);
            n.set(i, 2, xyz.get(i, 2));
        }
        return n;
    }

    /**
     * The (u, v) angles of points in R³ near a torus of revolution about the z axis with major radius R: u about the
     * axis, v around the tube (0 on the outer equator, π/2 on top), both in [0, 2π). Works for barycentric means
     * inside the tube too.
     */
    static Plots.View torusAngles(DMatrixRMaj xyz, double majorRadius) {
        int n = xyz.numRows;
        double[] u = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x = xyz.get(i, 0);
            double y = xyz.get(i, 1);
            u[i] = wrap(Math.atan2(y, x));
            v[i] = wrap(Math.atan2(xyz.get(i, 2), Math.hypot(x, y) - majorRadius));
        }
        return new Plots.View(u, v, "u (about the axis)", "v (around the tube)", false);
    }

    private static double wrap(double a) {
        return a < 0 ? a + 2 * Math.PI : a;
    }
}
