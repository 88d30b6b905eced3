package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * The plane grid: {@code n × n} equispaced points on a square with the Euclidean distance (METHOD.md §1).
 *
 * <p><b>Ordering and coordinates.</b> Point {@code i = iy · n + ix} ({@code 0 <= ix, iy < n}; {@code x} varies
 * fastest, as NumPy's {@code meshgrid} followed by {@code ravel}) sits at {@code (x, y) = (ix · h, iy · h)}, with
 * spacing {@code h}. {@link #of(int, double)} chooses {@code h = maxLength / ((n − 1) √2)} so that the largest
 * distance, the diagonal, equals {@code maxLength} (the reference code scales {@code D_X} to max
 * {@code maxLength}, 1.3 in its notebooks).
 *
 * <p><b>Reference compatibility.</b> The reference's {@code img2atomic} grid has the same ordering (point
 * {@code k = n·i + j} at {@code (j, n − i)}: x fastest) and hence the same distance matrix. Its {@code Wrapper_REW}
 * ("Plane") scales the diagonal to {@code max_len}, as {@link #of(int, double)} does; its Euclidean notebook
 * instead scales the side to √{@code box_len}, i.e. the diagonal to √(2 · 1.3) ≈ 1.612: use
 * {@code PlaneGrid.of(n, Math.sqrt(2.6))} to reproduce that notebook.
 *
 * <p><b>Structure.</b> {@code d² = h² (Δix² + Δiy²)}: a {@link GridStructure} of two translation-invariant,
 * non-periodic axes (Kronecker-separable Gibbs kernel; Toeplitz-block-Toeplitz distance matrix).
 */
public final class PlaneGrid implements MetricSpace {

    /** The default largest distance of an embedding grid, as in the reference notebooks. */
    public static final double DEFAULT_MAX_LENGTH = 1.3;

    private final int n;
    private final double h;
    private final GridStructure structure;

    private PlaneGrid(int n, double h) {
        this.n = n;
        this.h = h;
        GridStructure.Axis axis = new GridStructure.Axis(n, axisSquaredDistances(n, h), false, true);
        this.structure = new GridStructure(List.of(axis, axis));
    }

    /** An {@code n × n} grid ({@code n >= 2}) whose largest distance is {@code maxLength}. */
    public static PlaneGrid of(int n, double maxLength) {
        Require.atLeast(n, 2, "grid side n");
        Require.positive(maxLength, "maxLength");
        return new PlaneGrid(n, maxLength / ((n - 1) * Math.sqrt(2)));
    }

    /** An {@code n × n} grid whose largest distance is {@link #DEFAULT_MAX_LENGTH}. */
    public static PlaneGrid of(int n) {
        return of(n, DEFAULT_MAX_LENGTH);
    }

    /** An {@code n × n} grid with the given spacing {@code h} between neighbours. */
    public static PlaneGrid withSpacing(int n, double spacing) {
        Require.atLeast(n, 2, "grid side n");
        Require.positive(spacing, "spacing");
        return new PlaneGrid(n, spacing);
    }

    private static double[] axisSquaredDistances(int n, double h) {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = (i - j) * h;
                s[i * n + j] = d * d;
            }
        }
        return s;
    }

    /** Points per side. */
    public int side() {
        return n;
    }

    /** The spacing between neighbouring points. */
    public double spacing() {
        return h;
    }

    /** The x coordinate of point {@code i}. */
    public double x(int i) {
        return (i % n) * h;
    }

    /** The y coordinate of point {@code i}. */
    public double y(int i) {
        return (i / n) * h;
    }

    @Override
    public int size() {
        return n * n;
    }

    @Override
    public double distance(int i, int j) {
        int dx = i % n - j % n;
        int dy = i / n - j / n;
        return h * Math.sqrt((double) dx * dx + (double) dy * dy);
    }

    @Override
    public double maxDistance() {
        return h * (n - 1) * Math.sqrt(2);
    }

    @Override
    public Optional<Coordinates> coordinates() {
        DMatrixRMaj c = new DMatrixRMaj(size(), 2);
        for (int i = 0; i < size(); i++) {
            c.unsafe_set(i, 0, x(i));
            c.unsafe_set(i, 1, y(i));
        }
        return Optional.of(new Coordinates(c, List.of("x", "y"), Coordinates.Kind.EUCLIDEAN));
    }

    @Override
    public List<StructureHint> structure() {
        return List.of(structure);
    }

    @Override
    public String description() {
        return "plane grid " + n + "x" + n + ", spacing " + h + ", max distance " + maxDistance();
    }

    @Override
    public PlaneGrid scaled(double factor) {
        Require.positive(factor, "factor");
        return new PlaneGrid(n, h * factor);
    }

    @Override
    public PlaneGrid normalizedToMax(double max) {
        return of(n, max);
    }
}
