package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * The flat torus: an {@code nu × nv} grid of angles {@code (u, v) ∈ [0, 2π)²} with the flat metric
 * {@code d² = s² (δ_u² + δ_v²)}, where {@code δ} is the periodic angle difference {@code min(|Δ|, 2π − |Δ|)}
 * (METHOD.md §1, torus (a)).
 *
 * <p><b>Ordering.</b> Point {@code i = iv · nu + iu} ({@code u} varies fastest) has angles
 * {@code u = 2π iu / nu}, {@code v = 2π iv / nv}. <b>Coordinates:</b> the two angles ({@link Coordinates.Kind#ANGLES}).
 * <b>Scale.</b> {@link #of(int, int, double)} picks {@code s} so the largest distance is {@code maxLength}.
 * <b>Structure.</b> A {@link GridStructure} of two periodic axes: Kronecker-separable Gibbs kernel with circulant
 * factors, block-circulant distance matrix.
 */
public final class FlatTorusGrid implements MetricSpace {

    private final int nu;
    private final int nv;
    private final double scale;
    private final GridStructure structure;

    private FlatTorusGrid(int nu, int nv, double scale) {
        this.nu = nu;
        this.nv = nv;
        this.scale = scale;
        this.structure = new GridStructure(List.of(
                new GridStructure.Axis(nv, axisSquaredDistances(nv, scale), true, true),
                new GridStructure.Axis(nu, axisSquaredDistances(nu, scale), true, true)));
    }

    /** An {@code nu × nv} flat torus ({@code nu, nv >= 2}) whose largest distance is {@code maxLength}. */
    public static FlatTorusGrid of(int nu, int nv, double maxLength) {
        Require.atLeast(nu, 2, "nu");
        Require.atLeast(nv, 2, "nv");
        Require.positive(maxLength, "maxLength");
        double du = periodicStep(nu, nu / 2);
        double dv = periodicStep(nv, nv / 2);
        return new FlatTorusGrid(nu, nv, maxLength / Math.sqrt(du * du + dv * dv));
    }

    /** An {@code n × n} flat torus whose largest distance is {@code maxLength}. */
    public static FlatTorusGrid of(int n, double maxLength) {
        return of(n, n, maxLength);
    }

    /** The periodic angle difference between positions {@code 0} and {@code k} on a circle of {@code n} points. */
    static double periodicStep(int n, int k) {
        int m = Math.floorMod(k, n);
        return 2 * Math.PI * Math.min(m, n - m) / n;
    }

    private static double[] axisSquaredDistances(int n, double scale) {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = scale * periodicStep(n, j - i);
                s[i * n + j] = d * d;
            }
        }
        return s;
    }

    /** The number of points along u. */
    public int nu() {
        return nu;
    }

    /** The number of points along v. */
    public int nv() {
        return nv;
    }

    /** The metric scale {@code s}: distance = {@code s ·} flat angle distance. */
    public double scale() {
        return scale;
    }

    /** The angle u ∈ [0, 2π) of point {@code i}. */
    public double u(int i) {
        return 2 * Math.PI * (i % nu) / nu;
    }

    /** The angle v ∈ [0, 2π) of point {@code i}. */
    public double v(int i) {
        return 2 * Math.PI * (i / nu) / nv;
    }

    @Override
    public int size() {
        return nu * nv;
    }

    @Override
    public double distance(int i, int j) {
        double du = periodicStep(nu, j % nu - i % nu);
        double dv = periodicStep(nv, j / nu - i / nu);
        return scale * Math.sqrt(du * du + dv * dv);
    }

    @Override
    public double maxDistance() {
        double du = periodicStep(nu, nu / 2);
        double dv = periodicStep(nv, nv / 2);
        return scale * Math.sqrt(du * du + dv * dv);
    }

    @Override
    public Optional<Coordinates> coordinates() {
        DMatrixRMaj c = new DMatrixRMaj(size(), 2);
        for (int i = 0; i < size(); i++) {
            c.unsafe_set(i, 0, u(i));
            c.unsafe_set(i, 1, v(i));
        }
        return Optional.of(new Coordinates(c, List.of("u", "v"), Coordinates.Kind.ANGLES));
    }

    @Override
    public List<StructureHint> structure() {
        return List.of(structure);
    }

    @Override
    public String description() {
        return "flat torus grid " + nu + "x" + nv + ", scale " + scale + ", max distance " + maxDistance();
    }

    @Override
    public FlatTorusGrid scaled(double factor) {
        Require.positive(factor, "factor");
        return new FlatTorusGrid(nu, nv, scale * factor);
    }

    @Override
    public FlatTorusGrid normalizedToMax(double max) {
        return of(nu, nv, max);
    }
}
