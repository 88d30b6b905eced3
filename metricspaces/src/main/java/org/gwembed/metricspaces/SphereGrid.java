package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * A grid on the sphere S² in the canonical (longitude × colatitude) parametrisation, with the great-circle
 * distance (METHOD.md §1).
 *
 * <p><b>Points.</b> {@code longitudes} equispaced longitudes {@code φ_a = 2π a / longitudes} and {@code rings}
 * interior colatitudes {@code θ_r = π (r + 1) / (rings + 1)}, plus the two poles once each:
 * {@code N = longitudes · rings + 2}. {@link #of(int, double)} with parameter {@code n} uses {@code n + 1}
 * longitudes and {@code n − 1} rings, the reference's layout: {@code n = 30} gives 31 × 29 + 2 = 901 points.
 *
 * <p><b>Ordering.</b> Index 0 is the north pole ({@code θ = 0}), then ring {@code r} occupies indices
 * {@code 1 + r · longitudes + a}, and the last index is the south pole. (The reference builds its sphere with
 * VTK's {@code vtkSphereSource}: the same 901 points for {@code n = 30}, without a duplicated seam, but ordered
 * north pole, south pole, then longitude-major with colatitude fastest; the distance matrices agree up to this
 * permutation.)
 *
 * <p><b>Distance.</b> {@code radius · angle(u, v)}, the angle computed as {@code atan2(|u × v|, u · v)} (accurate
 * for near and antipodal points alike); {@code radius = maxLength / π} so that antipodes are {@code maxLength}
 * apart. <b>Structure.</b> Rotations about the polar axis by {@code 2π / longitudes} are isometries: a
 * {@link RingStructure} (circulant blocks along longitude).
 */
public final class SphereGrid implements MetricSpace {

    private final int longitudes;
    private final int rings;
    private final double radius;
    private final double[] xyz; // N x 3 unit vectors

    private SphereGrid(int longitudes, int rings, double radius) {
        this.longitudes = longitudes;
        this.rings = rings;
        this.radius = radius;
        int n = longitudes * rings + 2;
        xyz = new double[3 * n];
        xyz[2] = 1; // north pole
        for (int r = 0; r < rings; r++) {
            double theta = Math.PI * (r + 1) / (rings + 1);
            for (int a = 0; a < longitudes; a++) {
                double phi = 2 * Math.PI * a / longitudes;
                int i = 1 + r * longitudes + a;
                xyz[3 * i] = Math.sin(theta) * Math.cos(phi);
                xyz[3 * i + 1] = Math.sin(theta) * Math.sin(phi);
                xyz[3 * i + 2] = Math.cos(theta);
            }
        }
        xyz[3 * (n - 1) + 2] = -1; // south pole
    }

    /** The reference layout for parameter {@code n >= 2}: {@code n + 1} longitudes, {@code n − 1} rings. */
    public static SphereGrid of(int n, double maxLength) {
        Require.atLeast(n, 2, "sphere grid parameter n");
        return of(n + 1, n - 1, maxLength);
    }

    /** A grid with the given numbers of longitudes ({@code >= 1}) and interior rings ({@code >= 1}). */
    public static SphereGrid of(int longitudes, int rings, double maxLength) {
        Require.atLeast(longitudes, 1, "longitudes");
        Require.atLeast(rings, 1, "rings");
        Require.positive(maxLength, "maxLength");
        return new SphereGrid(longitudes, rings, maxLength / Math.PI);
    }

    /** The number of distinct longitudes. */
    public int longitudes() {
        return longitudes;
    }

    /** The number of interior colatitude rings. */
    public int rings() {
        return rings;
    }

    /** The sphere's radius: distances are {@code radius ·} great-circle angle. */
    public double radius() {
        return radius;
    }

    /** The colatitude θ ∈ [0, π] of point {@code i}. */
    public double colatitude(int i) {
        return Math.acos(Math.max(-1, Math.min(1, xyz[3 * i + 2])));
    }

    /** The longitude φ ∈ [0, 2π) of point {@code i} (0 at the poles). */
    public double longitude(int i) {
        if (i == 0 || i == size() - 1) {
            return 0;
        }
        return 2 * Math.PI * ((i - 1) % longitudes) / longitudes;
    }

    @Override
    public int size() {
        return longitudes * rings + 2;
    }

    @Override
    public double distance(int i, int j) {
        return radius * angle(xyz, i, j);
    }

    static double angle(double[] xyz, int i, int j) {
        double ux = xyz[3 * i];
        double uy = xyz[3 * i + 1];
        double uz = xyz[3 * i + 2];
        double vx = xyz[3 * j];
        double vy = xyz[3 * j + 1];
        double vz = xyz[3 * j + 2];
        double cx = uy * vz - uz * vy;
        double cy = uz * vx - ux * vz;
        double cz = ux * vy - uy * vx;
        return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ux * vx + uy * vy + uz * vz);
    }

    @Override
    public double maxDistance() {
        return radius * Math.PI; // the poles are antipodal
    }

    @Override
    public Optional<Coordinates> coordinates() {
        return Optional.of(new Coordinates(DMatrixRMaj.wrap(size(), 3, xyz.clone()), List.of("x", "y", "z"),
                Coordinates.Kind.UNIT_SPHERE));
    }

    @Override
    public List<StructureHint> structure() {
        return List.of(new RingStructure(1, rings, longitudes));
    }

    @Override
    public String description() {
        return "sphere grid " + longitudes + " longitudes x " + rings + " rings + 2 poles (" + size()
                + " points), radius " + radius;
    }

    @Override
    public SphereGrid scaled(double factor) {
        Require.positive(factor, "factor");
        return new SphereGrid(longitudes, rings, radius * factor);
    }

    @Override
    public SphereGrid normalizedToMax(double max) {
        return of(longitudes, rings, max);
    }
}
