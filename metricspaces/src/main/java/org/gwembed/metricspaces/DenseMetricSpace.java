package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * A metric space held as a dense, validated {@code N × N} distance matrix (input data, precomputed matrices,
 * geodesic distances). Immutable: the matrix is copied on the way in and on the way out.
 *
 * <p>Validation (once, at construction): square, every entry finite and {@code >= 0}, symmetric within
 * {@link #SYMMETRY_TOLERANCE} relative to the largest entry, diagonal zero within the same tolerance. The stored
 * matrix is exactly symmetric ({@code (D + Dᵀ)/2}) with an exactly zero diagonal.
 */
public final class DenseMetricSpace implements MetricSpace {

    /** Relative tolerance for symmetry and for the zero diagonal. */
    public static final double SYMMETRY_TOLERANCE = 1e-9;

    private final double[] d;
    private final int n;
    private final double max;
    private final Coordinates coordinates;
    private final List<StructureHint> structure;
    private final String description;

    private DenseMetricSpace(double[] d, int n, Coordinates coordinates, List<StructureHint> structure,
            String description) {
        this.d = d;
        this.n = n;
        double m = 0;
        for (double v : d) {
            m = Math.max(m, v);
        }
        this.max = m;
        this.coordinates = coordinates;
        this.structure = List.copyOf(structure);
        this.description = description;
    }

    /**
     * Validates and copies a distance matrix.
     *
     * @param distances   the {@code N × N} matrix (not modified)
     * @param description what the space is, used in messages and reports
     * @throws IllegalArgumentException if the matrix is not square, has a non-finite or negative entry, is not
     *                                  symmetric or has a non-zero diagonal; the message names the entry
     */
    public static DenseMetricSpace of(DMatrixRMaj distances, String description) {
        Require.nonNull(distances, "distances");
        return of(distances.numRows, distances.numCols, distances.data, description);
    }

    /** As {@link #of(DMatrixRMaj, String)}, from a row-major array. */
    public static DenseMetricSpace of(double[][] distances, String description) {
        Require.nonNull(distances, "distances");
        int n = distances.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            Require.nonNull(distances[i], "distances[" + i + "]");
            if (distances[i].length != n) {
                throw new IllegalArgumentException("distances must be square: it has " + n + " rows but row " + i
                        + " has " + distances[i].length + " entries");
            }
            System.arraycopy(distances[i], 0, flat, i * n, n);
        }
        return of(n, n, flat, description);
    }

    static DenseMetricSpace of(int rows, int cols, double[] data, String description) {
        return withExtras(rows, cols, data, null, List.of(), description, false);
    }

    /**
     * As {@link #of(DMatrixRMaj, Coordinates, List, String)}, but takes over {@code distances} instead of copying it
     * (symmetrised in place): for freshly computed matrices of thousands of points, whose copy would double the
     * peak memory. The caller must not use {@code distances} afterwards.
     */
    static DenseMetricSpace adopt(DMatrixRMaj distances, Coordinates coordinates, List<StructureHint> structure,
            String description) {
        Require.nonNull(distances, "distances");
        return withExtras(distances.numRows, distances.numCols, distances.data, coordinates, structure, description,
                true);
    }

    /**
     * As {@link #of(DMatrixRMaj, String)}, also attaching coordinates (e.g. mesh vertex positions) and structure
     * hints that the caller guarantees hold.
     */
    public static DenseMetricSpace of(DMatrixRMaj distances, Coordinates coordinates, List<StructureHint> structure,
            String description) {
        Require.nonNull(distances, "distances");
        return withExtras(distances.numRows, distances.numCols, distances.data, coordinates, structure,
                description, false);
    }

    /** Side of the tiles in which {@link #withExtras} checks symmetry (two 64 × 64 tiles of doubles fit L2). */
    private static final int SYMMETRY_TILE = 64;

    private static DenseMetricSpace withExtras(int rows, int cols, double[] data, Coordinates coordinates,
            List<StructureHint> structure, String description, boolean inPlace) {
        Require.nonNull(description, "description");
        if (rows != cols) {
            throw new IllegalArgumentException("distances must be square, got " + rows + "x" + cols);
        }
        if (rows < 1) {
            throw new IllegalArgumentException("distances must have at least one point, got " + rows + "x" + cols);
        }
        int n = rows;
        if (coordinates != null && coordinates.size() != n) {
            throw new IllegalArgumentException("coordinates have " + coordinates.size() + " rows but distances are "
                    + n + "x" + n);
        }
        double max = 0;
        for (int k = 0; k < n * n; k++) {
            double v = data[k];
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("distances[" + (k / n) + "," + (k % n) + "] must be finite and >= 0, got "
                        + v + " (matrix " + n + "x" + n + ")");
            }
            max = Math.max(max, v);
        }
        double tol = SYMMETRY_TOLERANCE * Math.max(max, Double.MIN_NORMAL);
        double[] d = inPlace ? data : new double[n * n];
        for (int i = 0; i < n; i++) {
            if (data[i * n + i] > tol) {
                throw new IllegalArgumentException("distances must have a zero diagonal, but distances[" + i + "," + i
                        + "] = " + data[i * n + i] + " (matrix " + n + "x" + n + ")");
            }
        }
        // symmetry check and symmetrisation in tiles, so that the transposed reads stay in cache (a row-by-row walk
        // reads the transpose with a stride of n doubles: ~4x slower at n = 2000); the first asymmetric pair in
        // row-major order of the upper triangle is reported, as a plain walk would
        int[] bad = null;
        for (int i0 = 0; i0 < n && bad == null; i0 += SYMMETRY_TILE) {
            int i1 = Math.min(n, i0 + SYMMETRY_TILE);
            for (int j0 = i0; j0 < n; j0 += SYMMETRY_TILE) {
                int j1 = Math.min(n, j0 + SYMMETRY_TILE);
                for (int i = i0; i < i1; i++) {
                    int row = i * n;
                    for (int j = Math.max(j0, i + 1); j < j1; j++) {
                        double a = data[row + j];
                        double b = data[j * n + i];
                        if (Math.abs(a - b) > tol) {
                            if (bad == null || i < bad[0] || (i == bad[0] && j < bad[1])) {
                                bad = new int[] {i, j};
                            }
                            continue;
                        }
                        double m = 0.5 * (a + b);
                        d[row + j] = m;
                        d[j * n + i] = m;
                    }
                }
            }
        }
        if (bad != null) {
            int i = bad[0];
            int j = bad[1];
            throw new IllegalArgumentException("distances must be symmetric, but distances[" + i + "," + j
                    + "] = " + data[i * n + j] + " and distances[" + j + "," + i + "] = " + data[j * n + i]
                    + " (matrix " + n + "x" + n + ", tolerance " + tol + ")");
        }
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 0;
        }
        return new DenseMetricSpace(d, n, coordinates, structure == null ? List.of() : structure, description);
    }

    /** The distance matrix of any space, materialised and validated as a dense space (keeps coordinates, hints). */
    public static DenseMetricSpace copyOf(MetricSpace space) {
        Require.nonNull(space, "space");
        if (space instanceof DenseMetricSpace dense) {
            return dense;
        }
        return of(space.distanceMatrix(), space.coordinates().orElse(null), space.structure(),
                space.description());
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double distance(int i, int j) {
        return d[i * n + j];
    }

    @Override
    public DMatrixRMaj distanceMatrix() {
        return DMatrixRMaj.wrap(n, n, d.clone());
    }

    @Override
    public double maxDistance() {
        return max;
    }

    @Override
    public Optional<Coordinates> coordinates() {
        return Optional.ofNullable(coordinates);
    }

    @Override
    public List<StructureHint> structure() {
        return structure;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public DenseMetricSpace scaled(double factor) {
        Require.positive(factor, "factor");
        double[] s = d.clone();
        for (int k = 0; k < s.length; k++) {
            s[k] *= factor;
        }
        Coordinates c = coordinates;
        if (c != null && c.kind() == Coordinates.Kind.EUCLIDEAN) {
            DMatrixRMaj v = c.values().copy();
            org.ejml.dense.row.CommonOps_DDRM.scale(factor, v);
            c = new Coordinates(v, c.names(), c.kind());
        }
        return new DenseMetricSpace(s, n, c, structure.stream().map(h -> h.scaled(factor)).toList(),
                description + " scaled by " + factor);
    }

    @Override
    public DenseMetricSpace normalizedToMax(double newMax) {
        Require.positive(newMax, "max");
        if (!(max > 0)) {
            throw new IllegalArgumentException("cannot normalise " + description + " to max " + newMax
                    + ": all distances are 0");
        }
        return scaled(newMax / max);
    }

    /** A sub-space on the given points, in the given order (e.g. the largest connected component). */
    public DenseMetricSpace subset(int[] indices, String newDescription) {
        Require.nonNull(indices, "indices");
        int m = indices.length;
        double[] s = new double[m * m];
        for (int a = 0; a < m; a++) {
            int i = indices[a];
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("indices[" + a + "] = " + i + " is outside [0, " + n + ")");
            }
            for (int b = 0; b < m; b++) {
                s[a * m + b] = d[i * n + indices[b]];
            }
        }
        Coordinates c = null;
        if (coordinates != null) {
            DMatrixRMaj v = new DMatrixRMaj(m, coordinates.dimension());
            for (int a = 0; a < m; a++) {
                for (int k = 0; k < v.numCols; k++) {
                    v.unsafe_set(a, k, coordinates.get(indices[a], k));
                }
            }
            c = new Coordinates(v, coordinates.names(), coordinates.kind());
        }
        return withExtras(m, m, s, c, List.of(), newDescription, true);
    }
}
