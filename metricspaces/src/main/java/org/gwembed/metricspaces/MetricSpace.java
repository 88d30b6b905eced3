package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * A finite metric space: {@code N} points and a symmetric, non-negative dissimilarity with zero diagonal
 * (METHOD.md §1). Implementations either hold a dense matrix ({@link DenseMetricSpace}) or compute distances
 * on the fly (the embedding grids), so that a space with {@code N = 10 000} points need not hold an
 * {@code N × N} matrix unless a caller asks for it.
 *
 * <p>Besides distances a space may offer coordinates (for drawing and barycentric projection) and
 * {@linkplain StructureHint structure hints} that fast kernels use (METHOD.md §5).
 */
public interface MetricSpace {

    /** The number of points {@code N}. */
    int size();

    /** The distance between points {@code i} and {@code j}, both in {@code [0, size())}. */
    double distance(int i, int j);

    /**
     * The full {@code N × N} distance matrix as a new matrix that the caller owns. Costs {@code N²} doubles of
     * memory: callers that only need products with it should use the structure hints instead.
     */
    default DMatrixRMaj distanceMatrix() {
        int n = size();
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        double[] data = d.data;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = distance(i, j);
                data[i * n + j] = v;
                data[j * n + i] = v;
            }
        }
        return d;
    }

    /** The largest distance between two points (0 for a single point). */
    default double maxDistance() {
        int n = size();
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                max = Math.max(max, distance(i, j));
            }
        }
        return max;
    }

    /** Coordinates of the points for drawing and barycentric projection, when the space has them. */
    default Optional<Coordinates> coordinates() {
        return Optional.empty();
    }

    /** Structure that fast kernels may exploit; empty when there is none. */
    default List<StructureHint> structure() {
        return List.of();
    }

    /** The first hint of the given type, if the space reports one. */
    default <T extends StructureHint> Optional<T> hint(Class<T> type) {
        return structure().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** A short human-readable description, e.g. {@code "plane grid 20x20, max distance 1.3"}. */
    String description();

    /**
     * This space with every distance multiplied by {@code factor > 0}; coordinates are scaled too, hints are
     * adjusted. The result shares nothing mutable with this space.
     */
    default MetricSpace scaled(double factor) {
        return ScaledMetricSpace.of(this, factor);
    }

    /**
     * This space scaled so that its largest distance equals {@code max} (METHOD.md §1: inputs are scaled to max 1,
     * embedding grids to max {@code maxLength}).
     *
     * @throws IllegalArgumentException if {@code max} is not positive and finite or all distances are 0
     */
    default MetricSpace normalizedToMax(double max) {
        Require.positive(max, "max");
        double current = maxDistance();
        if (!(current > 0)) {
            throw new IllegalArgumentException("cannot normalise " + description() + " to max " + max
                    + ": all distances are 0");
        }
        return scaled(max / current);
    }
}
