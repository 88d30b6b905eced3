package org.gwembed.metricspaces;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Deterministic triangle meshes of parametrised surfaces, for tests and for the experiments of the paper
 * (Beier et al. 2025, Fig. 3: S-curve, Swiss roll with a hole, spherical patches, toroidal patches).
 *
 * <p>Every surface is the image of a structured triangulation of a parameter region: for a rectangle, an
 * {@code (a+1) × (b+1)} grid of points (a periodic axis has no repeated seam column), each cell split into two
 * triangles along a diagonal whose direction alternates in a checkerboard pattern (so the mesh has no preferred
 * diagonal); for a triangle, the standard subdivision into {@code k²} triangles. A hole removes the cells whose
 * centre lies inside it, then the vertices no triangle uses. Grid sides are chosen so that the cells are about
 * square in surface length and the vertex count is close to the requested {@code n} (within a few percent).
 *
 * <p>For the developable S-curve and Swiss roll the result also holds the <em>unrolled</em> coordinates
 * {@code (arc length, height)}: the surface is isometric to a flat rectangle, so the exact geodesic distance of two
 * points is the Euclidean distance of their unrolled coordinates (for a surface with a hole: only when the straight
 * segment between them avoids the hole).
 */
public final class MeshGenerators {

    /** Major radius of the torus patches. */
    public static final double TORUS_MAJOR_RADIUS = 1.0;
    /** Minor (tube) radius of the torus patches. */
    public static final double TORUS_MINOR_RADIUS = 0.4;
    /** Height of the Swiss roll, as in scikit-learn's {@code make_swiss_roll} ({@code y = 21 U}). */
    public static final double SWISS_ROLL_HEIGHT = 21.0;
    /** Height of the S-curve, as in scikit-learn's {@code make_s_curve} ({@code y = 2 U}). */
    public static final double S_CURVE_HEIGHT = 2.0;

    private MeshGenerators() {
    }

    /**
     * A generated mesh with the parameters of its vertices.
     *
     * @param mesh        the triangle mesh
     * @param parameters  {@code n × 2}: the surface parameters of each vertex (named in the description)
     * @param unrolled    {@code n × 2} isometric flat coordinates for developable surfaces, else {@code null}
     * @param description what was generated, with the parameter ranges
     */
    public record GeneratedMesh(TriangleMesh mesh, DMatrixRMaj parameters, DMatrixRMaj unrolled, String description) {
        public GeneratedMesh {
            Require.nonNull(mesh, "mesh");
            Require.nonNull(parameters, "parameters");
            Require.nonNull(description, "description");
            if (parameters.numRows != mesh.vertexCount() || parameters.numCols != 2) {
                throw new IllegalArgumentException("parameters are " + parameters.numRows + "x" + parameters.numCols
                        + " but the mesh has " + mesh.vertexCount() + " vertices (expected n x 2)");
            }
            if (unrolled != null && (unrolled.numRows != mesh.vertexCount() || unrolled.numCols != 2)) {
                throw new IllegalArgumentException("unrolled coordinates are " + unrolled.numRows + "x"
                        + unrolled.numCols + " but the mesh has " + mesh.vertexCount() + " vertices (expected n x 2)");
            }
            parameters = parameters.copy();
            unrolled = unrolled == null ? null : unrolled.copy();
        }

        /** Whether {@link #unrolled()} is available (developable surfaces). */
        public boolean hasUnrolled() {
            return unrolled != null;
        }

        /**
         * The distance of vertices {@code i} and {@code j} in the unrolled plane: the exact surface geodesic when the
         * segment between them stays on the surface.
         *
         * @throws IllegalStateException if the surface has no unrolled coordinates
         */
        public double unrolledDistance(int i, int j) {
            if (unrolled == null) {
                throw new IllegalStateException(description + " has no unrolled coordinates");
            }
            double du = unrolled.unsafe_get(i, 0) - unrolled.unsafe_get(j, 0);
            double dv = unrolled.unsafe_get(i, 1) - unrolled.unsafe_get(j, 1);
            return Math.sqrt(du * du + dv * dv);
        }
    }

    /**
     * A rectangular hole in normalised parameter coordinates: the parameter rectangle is mapped to {@code [0, 1]²}
     * and the cells whose centre {@code (u, v)} satisfies {@code uMin < u < uMax} and {@code vMin < v < vMax} are
     * removed.
     */
    public record Hole(double uMin, double uMax, double vMin, double vMax) {
        public Hole {
            Require.inRange(uMin, 0, 1, "uMin");
            Require.inRange(uMax, 0, 1, "uMax");
            Require.inRange(vMin, 0, 1, "vMin");
            Require.inRange(vMax, 0, 1, "vMax");
            if (!(uMin < uMax) || !(vMin < vMax)) {
                throw new IllegalArgumentException("hole must have uMin < uMax and vMin < vMax, got [" + uMin + ", "
                        + uMax + "] x [" + vMin + ", " + vMax + "]");
            }
        }

        /** The middle ninth {@code [1/3, 2/3]²} of the parameter rectangle. */
        public static Hole centre() {
            return new Hole(1.0 / 3, 2.0 / 3, 1.0 / 3, 2.0 / 3);
        }

        boolean contains(double u, double v) {
            return u > uMin && u < uMax && v > vMin && v < vMax;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Surfaces

    /**
     * The S-curve surface of scikit-learn's {@code make_s_curve}: for {@code t ∈ [−3π/2, 3π/2]},
     * {@code y ∈ [0, 2]}, the point {@code (sin t, y, sign(t)(cos t − 1))}. The curve has unit speed, so the unrolled
     * coordinates are {@code (t + 3π/2, y)}. Parameters: {@code (t, y)}. {@code n ≈ 2000} gives the paper's size.
     *
     * @param n the approximate number of vertices, {@code >= 9}
     */
    public static GeneratedMesh sCurve(int n) {
        Require.atLeast(n, 9, "n");
        double t0 = -1.5 * Math.PI;
        double t1 = 1.5 * Math.PI;
        int[] ab = gridSides(n, t1 - t0, S_CURVE_HEIGHT, null, false, false);
        return rectangle(ab[0], ab[1], false, false, null, (u, v, out) -> {
            double t = t0 + u * (t1 - t0);
            double y = v * S_CURVE_HEIGHT;
            out[0] = Math.sin(t);
            out[1] = y;
            out[2] = Math.signum(t) * (Math.cos(t) - 1);
            out[3] = t;
            out[4] = y;
            out[5] = t - t0;
            out[6] = y;
        }, true, "S-curve (t in [-3pi/2, 3pi/2], y in [0, 2]; parameters (t, y))");
    }

    /** {@link #swissRoll(int, Hole)} without a hole. */
    public static GeneratedMesh swissRoll(int n) {
        return swissRoll(n, null);
    }

    /**
     * The Swiss roll of scikit-learn's {@code make_swiss_roll}, in its units: for {@code t ∈ [3π/2, 9π/2]},
     * {@code y ∈ [0, 21]}, the point {@code (t cos t, y, t sin t)}. The grid is equispaced in the arc length
     * {@code s(t) = ∫ √(1 + t²) dt = ½ (t √(1 + t²) + asinh t)} (about 89.4 from start to end), not in {@code t}, so
     * that the cells are about square; the unrolled coordinates are {@code (s(t) − s(3π/2), y)}. Parameters:
     * {@code (t, y)}. The paper's roll with a hole has about 1800 vertices.
     *
     * @param n    the approximate number of vertices (after the hole), {@code >= 9}
     * @param hole a hole in normalised {@code (s, y)} coordinates, or {@code null}; e.g. {@link Hole#centre()}
     */
    public static GeneratedMesh swissRoll(int n, Hole hole) {
        Require.atLeast(n, 9, "n");
        double tMin = 1.5 * Math.PI;
        double tMax = 4.5 * Math.PI;
        double s0 = swissRollArcLength(tMin);
        double s1 = swissRollArcLength(tMax);
        int[] ab = gridSides(n, s1 - s0, SWISS_ROLL_HEIGHT, hole, false, false);
        return rectangle(ab[0], ab[1], false, false, hole, (u, v, out) -> {
            double s = s0 + u * (s1 - s0);
            double t = swissRollParameter(s, tMin, tMax);
            double y = v * SWISS_ROLL_HEIGHT;
            out[0] = t * Math.cos(t);
            out[1] = y;
            out[2] = t * Math.sin(t);
            out[3] = t;
            out[4] = y;
            out[5] = s - s0;
            out[6] = y;
        }, true, "Swiss roll (t in [3pi/2, 9pi/2], y in [0, 21], grid equispaced in arc length"
                + (hole == null ? "" : ", hole " + hole) + "; parameters (t, y))");
    }

    /** The arc length {@code s(t) = ½ (t √(1 + t²) + asinh t)} of the spiral {@code (t cos t, t sin t)}. */
    public static double swissRollArcLength(double t) {
        return 0.5 * (t * Math.sqrt(1 + t * t) + asinh(t));
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }

    /** Inverts {@link #swissRollArcLength(double)} on {@code [tMin, tMax]} by safeguarded Newton steps. */
    static double swissRollParameter(double s, double tMin, double tMax) {
        double lo = tMin;
        double hi = tMax;
        double t = 0.5 * (lo + hi);
        for (int k = 0; k < 100; k++) {
            double f = swissRollArcLength(t) - s;
            if (f > 0) {
                hi = t;
            } else {
                lo = t;
            }
            double next = t - f / Math.sqrt(1 + t * t);
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) {
                return next;
            }
            t = next;
        }
        return t;
    }

    /**
     * A rectangle of the unit sphere in (longitude φ, colatitude θ) with a hole: {@code φ ∈ [−π/2, π/2]},
     * {@code θ ∈ [π/4, 3π/4]}, the point {@code (sin θ cos φ, sin θ sin φ, cos θ)}, the middle ninth of the parameter
     * rectangle removed ({@link Hole#centre()}). Parameters: {@code (φ, θ)}. The area of each cell
     * {@code [φ_a, φ_b] × [θ_a, θ_b]} of the sphere is {@code (φ_b − φ_a)(cos θ_a − cos θ_b)}.
     *
     * @param n the approximate number of vertices, {@code >= 9}
     */
    public static GeneratedMesh sphericalRectangleWithHole(int n) {
        Require.atLeast(n, 9, "n");
        double p0 = -0.5 * Math.PI;
        double p1 = 0.5 * Math.PI;
        double q0 = 0.25 * Math.PI;
        double q1 = 0.75 * Math.PI;
        Hole hole = Hole.centre();
        int[] ab = gridSides(n, p1 - p0, q1 - q0, hole, false, false);
        return rectangle(ab[0], ab[1], false, false, hole, (u, v, out) -> {
            double phi = p0 + u * (p1 - p0);
            double theta = q0 + v * (q1 - q0);
            sphere(phi, theta, out);
        }, false, "spherical rectangle with a hole (longitude in [-pi/2, pi/2], colatitude in [pi/4, 3pi/4], hole "
                + hole + "; parameters (longitude, colatitude))");
    }

    /** Lower colatitude (the hole) of {@link #sphericalCapWithHole(int)}. */
    public static final double CAP_HOLE_COLATITUDE = Math.PI / 8;
    /** Upper colatitude (the rim) of {@link #sphericalCapWithHole(int)}. */
    public static final double CAP_RIM_COLATITUDE = Math.PI / 3;

    /**
     * A spherical cap around the north pole with a hole around the pole: the band of the unit sphere with colatitude
     * {@code θ ∈ [π/8, π/3]}, all longitudes (periodic, no seam), the point {@code (sin θ cos φ, sin θ sin φ, cos θ)}.
     * Surface area {@code 2π (cos π/8 − cos π/3)}. Parameters: {@code (φ, θ)}.
     *
     * @param n the approximate number of vertices, {@code >= 9}
     */
    public static GeneratedMesh sphericalCapWithHole(int n) {
        Require.atLeast(n, 9, "n");
        double q0 = CAP_HOLE_COLATITUDE;
        double q1 = CAP_RIM_COLATITUDE;
        double meanCircumference = 2 * Math.PI * Math.sin(0.5 * (q0 + q1));
        int[] ab = gridSides(n, meanCircumference, q1 - q0, null, true, false);
        return rectangle(ab[0], ab[1], true, false, null, (u, v, out) -> {
            double phi = u * 2 * Math.PI;
            double theta = q0 + v * (q1 - q0);
            sphere(phi, theta, out);
        }, false, "spherical cap with a hole (colatitude in [pi/8, pi/3], all longitudes;"
                + " parameters (longitude, colatitude))");
    }

    private static void sphere(double phi, double theta, double[] out) {
        out[0] = Math.sin(theta) * Math.cos(phi);
        out[1] = Math.sin(theta) * Math.sin(phi);
        out[2] = Math.cos(theta);
        out[3] = phi;
        out[4] = theta;
    }

    /**
     * Half of a torus of revolution (radii {@value #TORUS_MAJOR_RADIUS}, {@value #TORUS_MINOR_RADIUS}): for
     * {@code u ∈ [0, π]} around the axis and {@code v ∈ [0, 2π)} around the tube (periodic), the point
     * {@code ((R + r cos v) cos u, (R + r cos v) sin u, r sin v)}. Surface area {@code 2π² R r}. Parameters
     * {@code (u, v)}.
     *
     * @param n the approximate number of vertices, {@code >= 9}
     */
    public static GeneratedMesh halfTorus(int n) {
        Require.atLeast(n, 9, "n");
        int[] ab = gridSides(n, Math.PI * TORUS_MAJOR_RADIUS, 2 * Math.PI * TORUS_MINOR_RADIUS, null, false, true);
        return rectangle(ab[0], ab[1], false, true, null, (u, v, out) -> torus(u * Math.PI, v * 2 * Math.PI, out),
                false, "half torus (R = " + TORUS_MAJOR_RADIUS + ", r = " + TORUS_MINOR_RADIUS
                        + ", u in [0, pi], v in [0, 2pi) periodic; parameters (u, v))");
    }

    /**
     * A triangular patch of the torus of {@link #halfTorus(int)}: the image of the parameter triangle with corners
     * {@code (u, v) = (0, −π), (π, −π), (0, π)}, i.e. {@code u ≥ 0, v ≥ −π, u/π + (v + π)/(2π) ≤ 1}, subdivided into
     * {@code k²} triangles ({@code (k+1)(k+2)/2} vertices). Parameters {@code (u, v)}.
     *
     * @param n the approximate number of vertices, {@code >= 3}
     */
    public static GeneratedMesh toroidalTriangle(int n) {
        Require.atLeast(n, 3, "n");
        int k = Math.max(1, (int) Math.round((Math.sqrt(8.0 * n + 1) - 3) / 2));
        int nv = (k + 1) * (k + 2) / 2;
        int[] id = new int[(k + 1) * (k + 1)];
        double[] xyz = new double[3 * nv];
        double[] par = new double[2 * nv];
        double[] out = new double[7];
        int c = 0;
        for (int i = 0; i <= k; i++) {
            for (int j = 0; i + j <= k; j++) {
                double u = Math.PI * i / k;
                double v = -Math.PI + 2 * Math.PI * j / k;
                torus(u, v, out);
                System.arraycopy(out, 0, xyz, 3 * c, 3);
                par[2 * c] = u;
                par[2 * c + 1] = v;
                id[i * (k + 1) + j] = c++;
            }
        }
        int[] tri = new int[3 * k * k];
        int t = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; i + j < k; j++) {
                int p00 = id[i * (k + 1) + j];
                int p10 = id[(i + 1) * (k + 1) + j];
                int p01 = id[i * (k + 1) + j + 1];
                tri[t++] = p00;
                tri[t++] = p10;
                tri[t++] = p01;
                if (i + j + 1 < k) {
                    int p11 = id[(i + 1) * (k + 1) + j + 1];
                    tri[t++] = p10;
                    tri[t++] = p11;
                    tri[t++] = p01;
                }
            }
        }
        return new GeneratedMesh(TriangleMesh.validated(xyz, tri), DMatrixRMaj.wrap(nv, 2, par), null,
                "toroidal triangle (R = " + TORUS_MAJOR_RADIUS + ", r = " + TORUS_MINOR_RADIUS
                        + ", parameter triangle (0, -pi), (pi, -pi), (0, pi), " + k + " subdivisions;"
                        + " parameters (u, v))");
    }

    private static void torus(double u, double v, double[] out) {
        double ring = TORUS_MAJOR_RADIUS + TORUS_MINOR_RADIUS * Math.cos(v);
        out[0] = ring * Math.cos(u);
        out[1] = ring * Math.sin(u);
        out[2] = TORUS_MINOR_RADIUS * Math.sin(v);
        out[3] = u;
        out[4] = v;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Structured grids

    /** Maps normalised parameters {@code (u, v) ∈ [0, 1]²} to {@code out = (x, y, z, p1, p2[, unrolled1, unrolled2])}. */
    @FunctionalInterface
    private interface SurfaceMap {
        void map(double u, double v, double[] out);
    }

    /**
     * Grid sides {@code (a, b)} (cells per axis) with {@code a / b ≈ lengthU / lengthV} and a vertex count
     * {@code ≈ n}, counting exactly the vertices that a hole removes.
     */
    static int[] gridSides(int n, double lengthU, double lengthV, Hole hole, boolean periodicU, boolean periodicV) {
        double ratio = lengthU / lengthV;
        int bestA = 1;
        int bestB = 1;
        double bestErr = Double.POSITIVE_INFINITY;
        double bestSkew = Double.POSITIVE_INFINITY;
        int minA = periodicU ? 3 : 1;
        int minB = periodicV ? 3 : 1;
        for (int b = minB; b <= n; b++) {
            // Cells may deviate from square by up to 10 % to get closer to n.
            int aLo = Math.max(minA, (int) Math.floor(0.9 * ratio * b));
            int aHi = Math.max(aLo, (int) Math.ceil(1.1 * ratio * b));
            double smallest = Double.POSITIVE_INFINITY;
            for (int a = aLo; a <= aHi; a++) {
                double count = vertexCount(a, b, periodicU, periodicV, hole);
                smallest = Math.min(smallest, count);
                double err = Math.abs(count - n);
                double skew = Math.abs(Math.log(a / (ratio * b)));
                if (err < bestErr - 1e-9 || (err < bestErr + 1e-9 && skew < bestSkew)) {
                    bestErr = err;
                    bestSkew = skew;
                    bestA = a;
                    bestB = b;
                }
            }
            if (smallest > 2.0 * n) {
                break;
            }
        }
        return new int[] {bestA, bestB};
    }

    /**
     * The number of vertices of an {@code a × b}-cell grid after a hole: a vertex goes when all its adjacent cells do,
     * and since the hole is a product of intervals that happens when its adjacent cells along each axis are all
     * inside the hole's interval on that axis.
     */
    static int vertexCount(int a, int b, boolean periodicU, boolean periodicV, Hole hole) {
        int nu = periodicU ? a : a + 1;
        int nv = periodicV ? b : b + 1;
        if (hole == null) {
            return nu * nv;
        }
        return nu * nv - covered(a, nu, periodicU, hole.uMin(), hole.uMax())
                * covered(b, nv, periodicV, hole.vMin(), hole.vMax());
    }

    /** The vertex positions along one axis whose adjacent cells all have their centre in {@code (lo, hi)}. */
    private static int covered(int cells, int vertices, boolean periodic, double lo, double hi) {
        int count = 0;
        for (int i = 0; i < vertices; i++) {
            int before = i > 0 ? i - 1 : (periodic ? cells - 1 : -1);
            int after = i < cells ? i : -1;
            boolean all = (before >= 0 || after >= 0)
                    && (before < 0 || inside((before + 0.5) / cells, lo, hi))
                    && (after < 0 || inside((after + 0.5) / cells, lo, hi));
            if (all) {
                count++;
            }
        }
        return count;
    }

    private static boolean inside(double x, double lo, double hi) {
        return x > lo && x < hi;
    }

    /**
     * The image of an {@code a × b}-cell grid on {@code [0, 1]²}. A periodic axis has {@code a} (or {@code b})
     * vertex columns and wraps around.
     */
    private static GeneratedMesh rectangle(int a, int b, boolean periodicU, boolean periodicV, Hole hole,
            SurfaceMap map, boolean developable, String description) {
        int nu = periodicU ? a : a + 1;
        int nv = periodicV ? b : b + 1;
        int n = nu * nv;
        double[] xyz = new double[3 * n];
        double[] par = new double[2 * n];
        double[] unr = developable ? new double[2 * n] : null;
        double[] out = new double[7];
        for (int i = 0; i < nu; i++) {
            for (int j = 0; j < nv; j++) {
                int p = i * nv + j;
                map.map((double) i / a, (double) j / b, out);
                System.arraycopy(out, 0, xyz, 3 * p, 3);
                par[2 * p] = out[3];
                par[2 * p + 1] = out[4];
                if (unr != null) {
                    unr[2 * p] = out[5];
                    unr[2 * p + 1] = out[6];
                }
            }
        }
        int[] tri = new int[6 * a * b];
        int t = 0;
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                if (hole != null && hole.contains((i + 0.5) / a, (j + 0.5) / b)) {
                    continue;
                }
                int i1 = (i + 1) % nu;
                int j1 = (j + 1) % nv;
                int p00 = i * nv + j;
                int p10 = i1 * nv + j;
                int p01 = i * nv + j1;
                int p11 = i1 * nv + j1;
                if (((i + j) & 1) == 0) {
                    t = put(tri, t, p00, p10, p11);
                    t = put(tri, t, p00, p11, p01);
                } else {
                    t = put(tri, t, p00, p10, p01);
                    t = put(tri, t, p10, p11, p01);
                }
            }
        }
        TriangleMesh mesh = TriangleMesh.validated(xyz, Arrays.copyOf(tri, t));
        int[] used = mesh.usedVertexIndices();
        if (used.length < n) {
            mesh = mesh.restrictedTo(used);
            par = gatherRows(par, used);
            unr = unr == null ? null : gatherRows(unr, used);
        }
        int m = mesh.vertexCount();
        return new GeneratedMesh(mesh, DMatrixRMaj.wrap(m, 2, par), unr == null ? null : DMatrixRMaj.wrap(m, 2, unr),
                description + ", " + a + "x" + b + " cells");
    }

    private static int put(int[] tri, int t, int p, int q, int r) {
        tri[t] = p;
        tri[t + 1] = q;
        tri[t + 2] = r;
        return t + 3;
    }

    private static double[] gatherRows(double[] twoColumns, int[] rows) {
        double[] out = new double[2 * rows.length];
        for (int k = 0; k < rows.length; k++) {
            out[2 * k] = twoColumns[2 * rows[k]];
            out[2 * k + 1] = twoColumns[2 * rows[k] + 1];
        }
        return out;
    }
}
