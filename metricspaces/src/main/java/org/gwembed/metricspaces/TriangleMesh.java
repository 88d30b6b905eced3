package org.gwembed.metricspaces;

import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * An immutable triangle mesh: {@code n} vertices in R³ and {@code m} triangles, each three distinct vertex indices
 * in {@code [0, n)} (METHOD.md §1, input metrics). Vertices need not all be used by a triangle; such vertices are
 * isolated points of the {@linkplain #edgeGraph() edge graph}.
 *
 * <p>Validated once at construction: finite coordinates, indices in range, no triangle repeating a vertex.
 * Geometrically degenerate (zero-area) triangles are allowed. Arrays are copied in and out.
 */
public final class TriangleMesh {

    private static final List<String> AXIS_NAMES = List.of("x", "y", "z");

    private final int n;
    private final int m;
    private final double[] xyz;   // 3n, row-major
    private final int[] tri;      // 3m, row-major

    private TriangleMesh(double[] xyz, int[] tri) {
        this.xyz = xyz;
        this.tri = tri;
        this.n = xyz.length / 3;
        this.m = tri.length / 3;
    }

    /**
     * A mesh from an {@code n × 3} vertex matrix and an {@code m × 3} triangle array (both copied).
     *
     * @throws IllegalArgumentException if {@code n < 1}, a coordinate is not finite, a triangle does not have three
     *                                  entries, an index is outside {@code [0, n)} or a triangle repeats a vertex
     */
    public static TriangleMesh of(double[][] vertices, int[][] triangles) {
        Require.nonNull(vertices, "vertices");
        Require.nonNull(triangles, "triangles");
        double[] v = new double[3 * vertices.length];
        for (int i = 0; i < vertices.length; i++) {
            Require.nonNull(vertices[i], "vertices[" + i + "]");
            if (vertices[i].length != 3) {
                throw new IllegalArgumentException("vertices[" + i + "] has " + vertices[i].length
                        + " coordinates, expected 3");
            }
            System.arraycopy(vertices[i], 0, v, 3 * i, 3);
        }
        int[] t = new int[3 * triangles.length];
        for (int k = 0; k < triangles.length; k++) {
            Require.nonNull(triangles[k], "triangles[" + k + "]");
            if (triangles[k].length != 3) {
                throw new IllegalArgumentException("triangles[" + k + "] has " + triangles[k].length
                        + " indices, expected 3");
            }
            System.arraycopy(triangles[k], 0, t, 3 * k, 3);
        }
        return validated(v, t);
    }

    /**
     * A mesh from an {@code n × 3} vertex matrix and a flat triangle array {@code [a0, b0, c0, a1, b1, c1, ...]}
     * (both copied). Validation as in {@link #of(double[][], int[][])}.
     */
    public static TriangleMesh of(DMatrixRMaj vertices, int[] triangles) {
        Require.nonNull(vertices, "vertices");
        Require.nonNull(triangles, "triangles");
        if (vertices.numCols != 3) {
            throw new IllegalArgumentException("vertices must be n x 3, got " + vertices.numRows + "x"
                    + vertices.numCols);
        }
        if (triangles.length % 3 != 0) {
            throw new IllegalArgumentException("triangles must hold 3 indices per triangle, got " + triangles.length
                    + " entries");
        }
        return validated(Arrays.copyOf(vertices.data, 3 * vertices.numRows), triangles.clone());
    }

    /** Validates arrays that the new mesh will own. */
    static TriangleMesh validated(double[] xyz, int[] tri) {
        int n = xyz.length / 3;
        if (n < 1) {
            throw new IllegalArgumentException("a mesh needs at least one vertex, got 0");
        }
        for (int k = 0; k < xyz.length; k++) {
            if (!Double.isFinite(xyz[k])) {
                throw new IllegalArgumentException("vertex " + (k / 3) + " coordinate " + AXIS_NAMES.get(k % 3)
                        + " must be finite, got " + xyz[k]);
            }
        }
        for (int t = 0; t < tri.length / 3; t++) {
            int a = tri[3 * t];
            int b = tri[3 * t + 1];
            int c = tri[3 * t + 2];
            for (int idx : new int[] {a, b, c}) {
                if (idx < 0 || idx >= n) {
                    throw new IllegalArgumentException("triangle " + t + " (" + a + ", " + b + ", " + c
                            + ") has index " + idx + " outside [0, " + n + ")");
                }
            }
            if (a == b || b == c || a == c) {
                throw new IllegalArgumentException("triangle " + t + " (" + a + ", " + b + ", " + c
                        + ") repeats a vertex");
            }
        }
        return new TriangleMesh(xyz, tri);
    }

    /** The number of vertices {@code n}. */
    public int vertexCount() {
        return n;
    }

    /** The number of triangles {@code m}. */
    public int triangleCount() {
        return m;
    }

    /** Coordinate {@code c} ({@code 0, 1, 2} for x, y, z) of vertex {@code i}. */
    public double vertex(int i, int c) {
        return xyz[3 * i + c];
    }

    /** Corner {@code k} ({@code 0, 1, 2}) of triangle {@code t}: a vertex index. */
    public int corner(int t, int k) {
        return tri[3 * t + k];
    }

    /** A copy of the vertex positions as an {@code n × 3} matrix. */
    public DMatrixRMaj vertices() {
        return DMatrixRMaj.wrap(n, 3, xyz.clone());
    }

    /** A copy of the triangles as an {@code m × 3} array. */
    public int[][] triangles() {
        int[][] out = new int[m][];
        for (int t = 0; t < m; t++) {
            out[t] = Arrays.copyOfRange(tri, 3 * t, 3 * t + 3);
        }
        return out;
    }

    /** The vertex positions as {@link Coordinates} of kind {@code EUCLIDEAN}, columns {@code x, y, z}. */
    public Coordinates coordinates() {
        return new Coordinates(vertices(), AXIS_NAMES, Coordinates.Kind.EUCLIDEAN);
    }

    /** The Euclidean distance between vertices {@code i} and {@code j}. */
    public double euclideanDistance(int i, int j) {
        double dx = xyz[3 * i] - xyz[3 * j];
        double dy = xyz[3 * i + 1] - xyz[3 * j + 1];
        double dz = xyz[3 * i + 2] - xyz[3 * j + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /**
     * The edge graph: vertices {@code 0..n-1}, an edge for each side of each triangle (shared sides once), with
     * its Euclidean length {@code ‖p_i − p_j‖₂}. Shortest paths in it approximate surface geodesics from above,
     * up to the chord-versus-arc error of the edges (METHOD.md §1).
     */
    public WeightedGraph edgeGraph() {
        WeightedGraph.Builder b = WeightedGraph.builder(n);
        for (int t = 0; t < m; t++) {
            int i = tri[3 * t];
            int j = tri[3 * t + 1];
            int k = tri[3 * t + 2];
            b.addEdge(i, j, euclideanDistance(i, j));
            b.addEdge(j, k, euclideanDistance(j, k));
            b.addEdge(k, i, euclideanDistance(k, i));
        }
        return b.build();
    }

    /** The area of triangle {@code t}: {@code ½ ‖(b − a) × (c − a)‖₂}. */
    public double triangleArea(int t) {
        int a = 3 * tri[3 * t];
        int b = 3 * tri[3 * t + 1];
        int c = 3 * tri[3 * t + 2];
        double ux = xyz[b] - xyz[a];
        double uy = xyz[b + 1] - xyz[a + 1];
        double uz = xyz[b + 2] - xyz[a + 2];
        double vx = xyz[c] - xyz[a];
        double vy = xyz[c + 1] - xyz[a + 1];
        double vz = xyz[c + 2] - xyz[a + 2];
        double cx = uy * vz - uz * vy;
        double cy = uz * vx - ux * vz;
        double cz = ux * vy - uy * vx;
        return 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    }

    /** The total area {@code Σ_t area(t)}. */
    public double surfaceArea() {
        double s = 0;
        for (int t = 0; t < m; t++) {
            s += triangleArea(t);
        }
        return s;
    }

    /**
     * The barycentric vertex areas: {@code A_i = Σ_{t ∋ i} area(t) / 3}, so that {@code Σ_i A_i} is the surface area.
     * Unused vertices get 0.
     */
    public double[] vertexAreas() {
        double[] a = new double[n];
        for (int t = 0; t < m; t++) {
            double third = triangleArea(t) / 3;
            a[tri[3 * t]] += third;
            a[tri[3 * t + 1]] += third;
            a[tri[3 * t + 2]] += third;
        }
        return a;
    }

    /** The uniform probability vector {@code 1/n}. */
    public double[] uniformMeasure() {
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return w;
    }

    /**
     * The area-weighted probability vector {@code A_i / Σ_j A_j} with {@code A} the {@linkplain #vertexAreas() vertex
     * areas} (METHOD.md §1).
     *
     * @throws IllegalArgumentException if the surface area is 0
     */
    public double[] areaMeasure() {
        double[] a = vertexAreas();
        double sum = 0;
        for (double v : a) {
            sum += v;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("cannot build an area measure: the mesh (" + n + " vertices, " + m
                    + " triangles) has surface area " + sum);
        }
        for (int i = 0; i < n; i++) {
            a[i] /= sum;
        }
        return a;
    }

    /** Whether vertex {@code i} belongs to a triangle, for each vertex. */
    public boolean[] usedVertices() {
        boolean[] used = new boolean[n];
        for (int idx : tri) {
            used[idx] = true;
        }
        return used;
    }

    /**
     * The connected components of the {@linkplain #edgeGraph() edge graph} (unused vertices are components of
     * their own), largest first, each sorted increasingly.
     */
    public List<int[]> connectedComponents() {
        // Union-find over the triangles' sides: no boxing, linear time.
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int t = 0; t < m; t++) {
            union(parent, tri[3 * t], tri[3 * t + 1]);
            union(parent, tri[3 * t], tri[3 * t + 2]);
        }
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            size[find(parent, i)]++;
        }
        int[][] members = new int[n][];
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            if (members[r] == null) {
                members[r] = new int[size[r]];
            }
            members[r][fill[r]++] = i;
        }
        return Arrays.stream(members).filter(c -> c != null)
                .sorted((a, b) -> a.length != b.length ? Integer.compare(b.length, a.length)
                        : Integer.compare(a[0], b[0]))
                .toList();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    /**
     * The vertices of the largest connected component (ties: the one holding the smallest index), increasing; these
     * are the original indices of the vertices of {@link #largestComponent()}.
     */
    public int[] largestComponentVertices() {
        return connectedComponents().get(0);
    }

    /**
     * The largest connected component as a new mesh: its vertices in increasing original order (see
     * {@link #largestComponentVertices()}), the triangles among them re-indexed; everything else dropped.
     */
    public TriangleMesh largestComponent() {
        return restrictedTo(largestComponentVertices());
    }

    /**
     * The sub-mesh on the given vertices: vertex {@code k} of the result is vertex {@code keep[k]} of this mesh, and
     * the triangles whose three corners are all kept are kept (re-indexed, in their original order).
     *
     * @throws IllegalArgumentException if {@code keep} is empty, has an index outside {@code [0, n)} or repeats one
     */
    public TriangleMesh restrictedTo(int[] keep) {
        Require.nonNull(keep, "keep");
        if (keep.length == 0) {
            throw new IllegalArgumentException("keep must name at least one vertex");
        }
        int[] newIndex = new int[n];
        Arrays.fill(newIndex, -1);
        double[] v = new double[3 * keep.length];
        for (int k = 0; k < keep.length; k++) {
            int i = keep[k];
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("keep[" + k + "] = " + i + " is outside [0, " + n + ")");
            }
            if (newIndex[i] >= 0) {
                throw new IllegalArgumentException("keep[" + k + "] = " + i + " repeats keep[" + newIndex[i] + "]");
            }
            newIndex[i] = k;
            System.arraycopy(xyz, 3 * i, v, 3 * k, 3);
        }
        int[] t = new int[tri.length];
        int c = 0;
        for (int s = 0; s < m; s++) {
            int a = newIndex[tri[3 * s]];
            int b = newIndex[tri[3 * s + 1]];
            int d = newIndex[tri[3 * s + 2]];
            if (a >= 0 && b >= 0 && d >= 0) {
                t[c++] = a;
                t[c++] = b;
                t[c++] = d;
            }
        }
        return new TriangleMesh(v, Arrays.copyOf(t, c));
    }

    /** The indices of the vertices used by some triangle, increasing (for {@link #restrictedTo(int[])}). */
    public int[] usedVertexIndices() {
        boolean[] used = usedVertices();
        return java.util.stream.IntStream.range(0, n).filter(i -> used[i]).toArray();
    }

    /** Same vertices (bitwise) and same triangles in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TriangleMesh other && Arrays.equals(xyz, other.xyz) && Arrays.equals(tri, other.tri);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(xyz) + Arrays.hashCode(tri);
    }

    @Override
    public String toString() {
        return "TriangleMesh[" + n + " vertices, " + m + " triangles]";
    }
}
