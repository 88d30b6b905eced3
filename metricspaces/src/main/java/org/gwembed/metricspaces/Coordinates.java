package org.gwembed.metricspaces;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Coordinates of the points of a space: an {@code N × dim} matrix (one row per point) and a name per column,
 * e.g. {@code x, y} for the plane grid, {@code x, y, z} for the sphere, {@code u, v} (angles) for the flat torus.
 *
 * @param values the coordinates, one row per point (do not modify; {@link #copy()} gives a private copy)
 * @param names  one name per column
 * @param kind   what the coordinates are, which decides how a barycentric projection must average them
 */
public record Coordinates(DMatrixRMaj values, List<String> names, Kind kind) {

    /** How coordinates combine in an average. */
    public enum Kind {
        /** Points of a Euclidean space: the weighted mean is meaningful as it is. */
        EUCLIDEAN,
        /** Points on the unit sphere in R³: a mean must be projected back (or replaced by a Fréchet mean). */
        UNIT_SPHERE,
        /** Angles in radians, each column periodic with period 2π: means are circular means per column. */
        ANGLES
    }

    public Coordinates {
        Require.nonNull(values, "values");
        Require.nonNull(names, "names");
        Require.nonNull(kind, "kind");
        if (names.size() != values.numCols) {
            throw new IllegalArgumentException("coordinates have " + values.numCols + " columns but "
                    + names.size() + " names " + names);
        }
        names = List.copyOf(names);
    }

    /** The number of points (rows). */
    public int size() {
        return values.numRows;
    }

    /** The number of columns. */
    public int dimension() {
        return values.numCols;
    }

    /** Coordinate {@code c} of point {@code i}. */
    public double get(int i, int c) {
        return values.unsafe_get(i, c);
    }

    /** A copy that the caller owns. */
    public Coordinates copy() {
        return new Coordinates(values.copy(), names, kind);
    }
}
