package org.gwembed.metricspaces;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * An undirected graph on vertices {@code 0..n-1} with positive finite edge lengths, stored in compressed
 * sparse row form (two {@code int}/{@code double} arrays) so that {@link GraphGeodesics} can run thousands of
 * Dijkstra searches without per-vertex objects. Parallel edges keep the shortest length; self-loops are dropped.
 * Connected components are found with JGraphT's {@link ConnectivityInspector}.
 */
public final class WeightedGraph {

    private final int n;
    private final int[] start;   // n + 1 offsets into neighbours/lengths
    private final int[] neighbours;
    private final double[] lengths;

    private WeightedGraph(int n, int[] start, int[] neighbours, double[] lengths) {
        this.n = n;
        this.start = start;
        this.neighbours = neighbours;
        this.lengths = lengths;
    }

    /** A builder for a graph on {@code n >= 1} vertices. */
    public static Builder builder(int n) {
        return new Builder(n);
    }

    /** Collects undirected edges; {@link #build()} sorts them into CSR form. */
    public static final class Builder {
        private final int n;
        private int[] us = new int[16];
        private int[] vs = new int[16];
        private double[] ws = new double[16];
        private int m;

        private Builder(int n) {
            this.n = Require.atLeast(n, 1, "vertex count");
        }

        /**
         * Adds the undirected edge {@code {u, v}} of the given length ({@code > 0} and finite; a zero length is
         * accepted and means coincident points). Self-loops are ignored.
         */
        public Builder addEdge(int u, int v, double length) {
            if (u < 0 || u >= n || v < 0 || v >= n) {
                throw new IllegalArgumentException("edge {" + u + ", " + v + "} has a vertex outside [0, " + n + ")");
            }
            if (!(length >= 0) || !Double.isFinite(length)) {
                throw new IllegalArgumentException("edge {" + u + ", " + v + "} must have a finite length >= 0, got "
                        + length);
            }
            if (u == v) {
                return this;
            }
            if (m == us.length) {
                us = Arrays.copyOf(us, 2 * m);
                vs = Arrays.copyOf(vs, 2 * m);
                ws = Arrays.copyOf(ws, 2 * m);
            }
            us[m] = u;
            vs[m] = v;
            ws[m] = length;
            m++;
            return this;
        }

        /** The graph in CSR form; duplicate edges keep their shortest length. */
        public WeightedGraph build() {
            int[] degree = new int[n + 1];
            for (int e = 0; e < m; e++) {
                degree[us[e] + 1]++;
                degree[vs[e] + 1]++;
            }
            for (int i = 0; i < n; i++) {
                degree[i + 1] += degree[i];
            }
            int[] fill = Arrays.copyOf(degree, n);
            int[] nb = new int[2 * m];
            double[] len = new double[2 * m];
            for (int e = 0; e < m; e++) {
                int a = fill[us[e]]++;
                nb[a] = vs[e];
                len[a] = ws[e];
                int b = fill[vs[e]]++;
                nb[b] = us[e];
                len[b] = ws[e];
            }
            // Deduplicate each adjacency list, keeping the shortest length.
            int[] start = new int[n + 1];
            int out = 0;
            Integer[] order = new Integer[0];
            for (int i = 0; i < n; i++) {
                int from = degree[i];
                int to = degree[i + 1];
                start[i] = out;
                int k = to - from;
                if (order.length < k) {
                    order = new Integer[Math.max(k, 2 * order.length)];
                }
                for (int t = 0; t < k; t++) {
                    order[t] = from + t;
                }
                Arrays.sort(order, 0, k, (x, y) -> nb[x] != nb[y] ? Integer.compare(nb[x], nb[y])
                        : Double.compare(len[x], len[y]));
                int last = -1;
                int[] tmpN = new int[k];
                double[] tmpL = new double[k];
                int c = 0;
                for (int t = 0; t < k; t++) {
                    int idx = order[t];
                    if (nb[idx] != last) {
                        tmpN[c] = nb[idx];
                        tmpL[c] = len[idx];
                        last = nb[idx];
                        c++;
                    }
                }
                System.arraycopy(tmpN, 0, nb, out, c);
                System.arraycopy(tmpL, 0, len, out, c);
                out += c;
            }
            start[n] = out;
            return new WeightedGraph(n, start, Arrays.copyOf(nb, out), Arrays.copyOf(len, out));
        }
    }

    /** The number of vertices. */
    public int vertexCount() {
        return n;
    }

    /** The number of distinct undirected edges. */
    public int edgeCount() {
        return neighbours.length / 2;
    }

    /** The degree of vertex {@code v}. */
    public int degree(int v) {
        return start[v + 1] - start[v];
    }

    int[] startArray() {
        return start;
    }

    int[] neighbourArray() {
        return neighbours;
    }

    double[] lengthArray() {
        return lengths;
    }

    /** The length of edge {@code {u, v}}, or {@code +∞} when there is none. */
    public double edgeLength(int u, int v) {
        for (int a = start[u]; a < start[u + 1]; a++) {
            if (neighbours[a] == v) {
                return lengths[a];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The connected components, largest first (ties: the one with the smallest vertex first), each sorted
     * increasingly.
     */
    public List<int[]> connectedComponents() {
        Graph<Integer, DefaultEdge> g = new SimpleGraph<>(DefaultEdge.class);
        for (int v = 0; v < n; v++) {
            g.addVertex(v);
        }
        for (int u = 0; u < n; u++) {
            for (int a = start[u]; a < start[u + 1]; a++) {
                int v = neighbours[a];
                if (u < v) {
                    g.addEdge(u, v);
                }
            }
        }
        List<Set<Integer>> sets = new ConnectivityInspector<>(g).connectedSets();
        return sets.stream()
                .map(s -> s.stream().mapToInt(Integer::intValue).sorted().toArray())
                .sorted((a, b) -> a.length != b.length ? Integer.compare(b.length, a.length)
                        : Integer.compare(a[0], b[0]))
                .toList();
    }

    /** Whether every vertex can reach every other one. */
    public boolean isConnected() {
        return connectedComponents().size() == 1;
    }
}
