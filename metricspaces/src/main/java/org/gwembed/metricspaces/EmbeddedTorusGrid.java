package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * The torus of revolution in R³ (major radius {@code R}, minor radius {@code r}) sampled on an {@code nu × nv}
 * grid of angles, with the geodesic distance approximated by Dijkstra on the grid mesh (METHOD.md §1, torus (b);
 * the reference uses R = 1, r = 0.2).
 *
 * <p><b>Points.</b> {@code p(u, v) = ((R + r cos v) cos u, (R + r cos v) sin u, r sin v)} with
 * {@code u = 2π iu / nu} (about the main axis) and {@code v = 2π iv / nv} (around the tube); point
 * {@code i = iv · nu + iu} ({@code u} fastest). <b>Mesh.</b> Each grid cell, with wrap-around in both angles, is
 * split into two triangles by the diagonal from {@code (iu, iv)} to {@code (iu + 1, iv + 1)}; edges have their
 * Euclidean length in R³. <b>Distances</b> are then scaled so the largest is {@code maxLength}.
 *
 * <p><b>Structure.</b> Rotation about the main axis by {@code 2π / nu} maps the mesh to itself: a
 * {@link RingStructure} with rings indexed by {@code v}. <b>Coordinates:</b> the points in R³.
 */
public final class EmbeddedTorusGrid implements MetricSpace {

    private final int nu;
    private final int nv;
    private final double majorRadius;
    private final double minorRadius;
    private final DenseMetricSpace distances;

    private EmbeddedTorusGrid(int nu, int nv, double majorRadius, double minorRadius, DenseMetricSpace distances) {
        this.nu = nu;
        this.nv = nv;
        this.majorRadius = majorRadius;
        this.minorRadius = minorRadius;
        this.distances = distances;
    }

    /**
     * An {@code nu × nv} torus ({@code nu, nv >= 3}) with radii {@code R > r > 0}, geodesics scaled to max
     * {@code maxLength}. Costs one Dijkstra per point ({@code N = nu · nv}) and an {@code N × N} matrix.
     */
    public static EmbeddedTorusGrid of(int nu, int nv, double majorRadius, double minorRadius, double maxLength) {
        Require.atLeast(nu, 3, "nu");
        Require.atLeast(nv, 3, "nv");
        Require.positive(majorRadius, "majorRadius R");
        Require.positive(minorRadius, "minorRadius r");
        Require.positive(maxLength, "maxLength");
        if (!(minorRadius < majorRadius)) {
            throw new IllegalArgumentException("a torus of revolution needs r < R, got R = " + majorRadius + ", r = "
                    + minorRadius);
        }
        int n = nu * nv;
        double[] xyz = new double[3 * n];
        for (int iv = 0; iv < nv; iv++) {
            double v = 2 * Math.PI * iv / nv;
            for (int iu = 0; iu < nu; iu++) {
                double u = 2 * Math.PI * iu / nu;
                int i = iv * nu + iu;
                xyz[3 * i] = (majorRadius + minorRadius * Math.cos(v)) * Math.cos(u);
                xyz[3 * i + 1] = (majorRadius + minorRadius * Math.cos(v)) * Math.sin(u);
                xyz[3 * i + 2] = minorRadius * Math.sin(v);
            }
        }
        WeightedGraph.Builder b = WeightedGraph.builder(n);
        for (int iv = 0; iv < nv; iv++) {
            for (int iu = 0; iu < nu; iu++) {
                int i = iv * nu + iu;
                int right = iv * nu + (iu + 1) % nu;
                int up = ((iv + 1) % nv) * nu + iu;
                int diagonal = ((iv + 1) % nv) * nu + (iu + 1) % nu;
                b.addEdge(i, right, length(xyz, i, right));
                b.addEdge(i, up, length(xyz, i, up));
                b.addEdge(i, diagonal, length(xyz, i, diagonal));
            }
        }
        DMatrixRMaj d = GraphGeodesics.allPairs(b.build(), GraphGeodesics.defaultThreads());
        DenseMetricSpace raw = DenseMetricSpace.adopt(d,
                new Coordinates(DMatrixRMaj.wrap(n, 3, xyz), List.of("x", "y", "z"), Coordinates.Kind.EUCLIDEAN),
                List.of(new RingStructure(0, nv, nu)),
                "torus of revolution R=" + majorRadius + ", r=" + minorRadius + ", " + nu + "x" + nv
                        + " grid, Dijkstra geodesics");
        return new EmbeddedTorusGrid(nu, nv, majorRadius, minorRadius, raw.normalizedToMax(maxLength));
    }

    /** The reference's torus: {@code n × n} grid, R = 1, r = 0.2, max distance {@code maxLength}. */
    public static EmbeddedTorusGrid of(int n, double maxLength) {
        return of(n, n, 1.0, 0.2, maxLength);
    }

    private static double length(double[] xyz, int i, int j) {
        double dx = xyz[3 * i] - xyz[3 * j];
        double dy = xyz[3 * i + 1] - xyz[3 * j + 1];
        double dz = xyz[3 * i + 2] - xyz[3 * j + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** Points about the main axis. */
    public int nu() {
        return nu;
    }

    /** Points around the tube. */
    public int nv() {
        return nv;
    }

    /** The major radius R (before scaling the distances). */
    public double majorRadius() {
        return majorRadius;
    }

    /** The minor radius r (before scaling the distances). */
    public double minorRadius() {
        return minorRadius;
    }

    /** The angle u ∈ [0, 2π) about the main axis of point {@code i}. */
    public double u(int i) {
        return 2 * Math.PI * (i % nu) / nu;
    }

    /** The angle v ∈ [0, 2π) around the tube of point {@code i}. */
    public double v(int i) {
        return 2 * Math.PI * (i / nu) / nv;
    }

    @Override
    public int size() {
        return distances.size();
    }

    @Override
    public double distance(int i, int j) {
        return distances.distance(i, j);
    }

    @Override
    public DMatrixRMaj distanceMatrix() {
        return distances.distanceMatrix();
    }

    @Override
    public double maxDistance() {
        return distances.maxDistance();
    }

    @Override
    public Optional<Coordinates> coordinates() {
        return distances.coordinates();
    }

    @Override
    public List<StructureHint> structure() {
        return distances.structure();
    }

    @Override
    public String description() {
        return distances.description();
    }

    @Override
    public MetricSpace scaled(double factor) {
        return new EmbeddedTorusGrid(nu, nv, majorRadius, minorRadius, distances.scaled(factor));
    }
}
