package org.gwembed.metricspaces;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Geodesic distances on a {@link TriangleMesh}: shortest-path lengths in its {@linkplain TriangleMesh#edgeGraph()
 * edge graph} with Euclidean edge lengths, all pairs by Dijkstra's algorithm in parallel over the sources
 * ({@link GraphGeodesics#allPairs(WeightedGraph, int)}), as METHOD.md §1 prescribes for mesh inputs.
 *
 * <p>Edge-graph distances overestimate surface geodesics: a path must follow mesh edges, so on a regular
 * triangulation the relative error tends to a direction-dependent constant (a few percent) rather than to 0 as the
 * mesh is refined; they underestimate only through the chord-versus-arc error of each edge, {@code O(h²)}.
 */
public final class MeshGeodesics {

    private MeshGeodesics() {
    }

    /** How vertices are weighted in {@link #metricMeasureSpace(TriangleMesh, VertexMeasure, Options)}. */
    public enum VertexMeasure {
        /** Every vertex weighs {@code 1/n}. */
        UNIFORM,
        /** Vertex {@code i} weighs its barycentric area (⅓ of each adjacent triangle), normalised to sum 1. */
        AREA
    }

    /** What to do with a mesh whose edge graph is not connected (distances between components are infinite). */
    public enum Disconnected {
        /** Throw an {@link IllegalArgumentException} naming the number of components and their sizes. */
        FAIL,
        /** Keep the largest connected component ({@link TriangleMesh#largestComponent()}), drop the rest. */
        KEEP_LARGEST_COMPONENT
    }

    /**
     * Settings.
     *
     * @param threads      worker threads for the all-pairs search, {@code >= 1}
     * @param disconnected what to do when the mesh is not connected
     */
    public record Options(int threads, Disconnected disconnected) {
        public Options {
            Require.atLeast(threads, 1, "threads");
            Require.nonNull(disconnected, "disconnected");
        }

        /** All available processors; fail on a disconnected mesh. */
        public static Options defaults() {
            return new Builder().build();
        }

        /** A copy with another thread count. */
        public Options withThreads(int newThreads) {
            return with(b -> b.threads = newThreads);
        }

        /** A copy with another policy for disconnected meshes. */
        public Options withDisconnected(Disconnected policy) {
            return with(b -> b.disconnected = policy);
        }

        /** A copy that keeps the largest connected component of a disconnected mesh. */
        public Options keepLargestComponent() {
            return withDisconnected(Disconnected.KEEP_LARGEST_COMPONENT);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            int threads = GraphGeodesics.defaultThreads();
            Disconnected disconnected = Disconnected.FAIL;

            Builder() {
            }

            Builder(Options o) {
                threads = o.threads;
                disconnected = o.disconnected;
            }

            Options build() {
                return new Options(threads, disconnected);
            }
        }
    }

    /**
     * The mesh that the distances are computed on: the mesh itself when it is connected, else (with
     * {@link Disconnected#KEEP_LARGEST_COMPONENT}) its largest component.
     *
     * @throws IllegalArgumentException if the mesh is disconnected and {@code options} say {@link Disconnected#FAIL};
     *                                  the message gives the number of components and their sizes
     */
    public static TriangleMesh connectedMesh(TriangleMesh mesh, Options options) {
        Require.nonNull(mesh, "mesh");
        Require.nonNull(options, "options");
        List<int[]> components = mesh.connectedComponents();
        if (components.size() == 1) {
            return mesh;
        }
        if (options.disconnected() == Disconnected.KEEP_LARGEST_COMPONENT) {
            return mesh.restrictedTo(components.get(0));
        }
        int shown = Math.min(components.size(), 10);
        String sizes = components.subList(0, shown).stream().map(c -> Integer.toString(c.length))
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("mesh has " + components.size() + " connected components (sizes " + sizes
                + (components.size() > shown ? ", ..." : "") + "); pass keepLargestComponent to keep the "
                + components.get(0).length + "-vertex one");
    }

    /**
     * All-pairs geodesic distances {@code D_ij} = length of the shortest edge path from vertex {@code i} to {@code j},
     * with the vertex positions attached as {@link Coordinates} ({@code x, y, z}).
     *
     * <p>When the largest component is kept, point {@code k} of the result is vertex
     * {@code mesh.largestComponentVertices()[k]}.
     *
     * @throws IllegalArgumentException if the mesh is disconnected and {@code options} say {@link Disconnected#FAIL}
     */
    public static DenseMetricSpace geodesics(TriangleMesh mesh, Options options) {
        TriangleMesh used = connectedMesh(mesh, options);
        return geodesicsOfConnected(used, used == mesh ? "" : ", largest component of " + mesh.vertexCount()
                + " vertices", options.threads());
    }

    /** {@link #geodesics(TriangleMesh, Options)} with {@link Options#defaults()}. */
    public static DenseMetricSpace geodesics(TriangleMesh mesh) {
        return geodesics(mesh, Options.defaults());
    }

    /**
     * The metric-measure space (mesh geodesics, vertex measure) of METHOD.md §1. With
     * {@link Disconnected#KEEP_LARGEST_COMPONENT} the measure lives on the largest component (and is normalised
     * there).
     */
    public static MetricMeasureSpace metricMeasureSpace(TriangleMesh mesh, VertexMeasure measure, Options options) {
        Require.nonNull(measure, "measure");
        TriangleMesh used = connectedMesh(mesh, options);
        DenseMetricSpace space = geodesicsOfConnected(used, used == mesh ? "" : ", largest component of "
                + mesh.vertexCount() + " vertices", options.threads());
        return switch (measure) {
            case UNIFORM -> MetricMeasureSpace.uniform(space);
            case AREA -> MetricMeasureSpace.normalizing(space, used.areaMeasure());
        };
    }

    private static DenseMetricSpace geodesicsOfConnected(TriangleMesh mesh, String note, int threads) {
        DMatrixRMaj d = GraphGeodesics.allPairs(mesh.edgeGraph(), threads);
        return DenseMetricSpace.adopt(d, mesh.coordinates(), List.of(), "mesh geodesics (" + mesh.vertexCount()
                + " vertices, " + mesh.triangleCount() + " triangles" + note + ")");
    }
}
