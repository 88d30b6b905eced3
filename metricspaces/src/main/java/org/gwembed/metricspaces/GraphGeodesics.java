package org.gwembed.metricspaces;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Shortest-path (geodesic) distances in a {@link WeightedGraph} by Dijkstra's algorithm, all pairs in parallel
 * over the sources.
 *
 * <p>Written by hand rather than calling JGraphT's {@code DijkstraShortestPath}: all-pairs geodesics of meshes
 * with thousands of vertices run one search per vertex, and JGraphT's object graph (boxed vertices, edge objects,
 * a Fibonacci/pairing heap of nodes, a map of results per search) costs far more than the search itself. Here a
 * search uses a compressed sparse row graph and an indexed binary heap of {@code int}s, reused across the
 * searches of one thread. Results agree with JGraphT (tested).
 */
public final class GraphGeodesics {

    private GraphGeodesics() {
    }

    /** Distances from {@code source} to every vertex; {@code +∞} for vertices that cannot be reached. */
    public static double[] singleSource(WeightedGraph graph, int source) {
        Require.nonNull(graph, "graph");
        if (source < 0 || source >= graph.vertexCount()) {
            throw new IllegalArgumentException("source " + source + " is outside [0, " + graph.vertexCount() + ")");
        }
        double[] dist = new double[graph.vertexCount()];
        new Search(graph.vertexCount()).run(graph, source, dist);
        return dist;
    }

    /**
     * All-pairs distances as an {@code n × n} matrix; {@code +∞} where no path exists. Runs on {@code threads}
     * worker threads ({@code >= 1}). The result is exactly symmetric (entry {@code (i, j)} with {@code i < j} is
     * copied to {@code (j, i)}).
     */
    public static DMatrixRMaj allPairs(WeightedGraph graph, int threads) {
        Require.nonNull(graph, "graph");
        Require.atLeast(threads, 1, "threads");
        int n = graph.vertexCount();
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + n + "x" + n + " distance matrix does not fit in one array");
        }
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        double[] data = out.data;
        Parallel.forRange(n, threads, graph.edgeCount() + n, (from, to) -> {
            Search search = new Search(n);
            double[] row = new double[n];
            for (int s = from; s < to; s++) {
                search.run(graph, s, row);
                System.arraycopy(row, 0, data, s * n, n);
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                data[j * n + i] = data[i * n + j];
            }
        }
        return out;
    }

    /** Default number of worker threads: the number of available processors. */
    public static int defaultThreads() {
        return Parallel.defaultThreads();
    }

    /** One reusable Dijkstra search: an indexed binary min-heap over vertex ids. */
    private static final class Search {
        private final int[] heap;
        private final int[] position; // -1: never seen, -2: settled, else index in heap
        private int size;

        Search(int n) {
            heap = new int[n];
            position = new int[n];
        }

        void run(WeightedGraph g, int source, double[] dist) {
            int[] start = g.startArray();
            int[] nb = g.neighbourArray();
            double[] len = g.lengthArray();
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            Arrays.fill(position, -1);
            size = 0;
            dist[source] = 0;
            push(source, dist);
            while (size > 0) {
                int u = pop(dist);
                position[u] = -2;
                double du = dist[u];
                for (int a = start[u]; a < start[u + 1]; a++) {
                    int v = nb[a];
                    if (position[v] == -2) {
                        continue;
                    }
                    double alt = du + len[a];
                    if (alt < dist[v]) {
                        dist[v] = alt;
                        if (position[v] == -1) {
                            push(v, dist);
                        } else {
                            siftUp(position[v], dist);
                        }
                    }
                }
            }
        }

        private void push(int v, double[] dist) {
            heap[size] = v;
            position[v] = size;
            size++;
            siftUp(size - 1, dist);
        }

        private int pop(double[] dist) {
            int top = heap[0];
            size--;
            if (size > 0) {
                heap[0] = heap[size];
                position[heap[0]] = 0;
                siftDown(0, dist);
            }
            return top;
        }

        private void siftUp(int i, double[] dist) {
            int v = heap[i];
            double key = dist[v];
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                int p = heap[parent];
                if (dist[p] <= key) {
                    break;
                }
                heap[i] = p;
                position[p] = i;
                i = parent;
            }
            heap[i] = v;
            position[v] = i;
        }

        private void siftDown(int i, double[] dist) {
            int v = heap[i];
            double key = dist[v];
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && dist[heap[child + 1]] < dist[heap[child]]) {
                    child++;
                }
                int c = heap[child];
                if (dist[c] >= key) {
                    break;
                }
                heap[i] = c;
                position[c] = i;
                i = child;
            }
            heap[i] = v;
            position[v] = i;
        }
    }
}
