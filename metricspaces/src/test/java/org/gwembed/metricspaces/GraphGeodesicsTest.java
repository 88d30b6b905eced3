package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.junit.jupiter.api.Test;

class GraphGeodesicsTest {

    private static final long SEED = 20250207L;
    /** Both implementations add the same edge lengths along shortest paths; ties may pick other paths. */
    private static final double AGREEMENT_TOLERANCE = 1e-12;

    @Test
    void allPairsAgreesWithJGraphTDijkstraOnARandomGraph() {
        Random rnd = new Random(SEED);
        int n = 300;
        WeightedGraph.Builder b = WeightedGraph.builder(n);
        Graph<Integer, DefaultWeightedEdge> jg = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < n; v++) {
            jg.addVertex(v);
        }
        for (int e = 0; e < 900; e++) {
            int u = rnd.nextInt(n);
            int v = rnd.nextInt(n);
            double w = 0.01 + rnd.nextDouble();
            if (u == v) {
                continue;
            }
            b.addEdge(u, v, w);
            DefaultWeightedEdge existing = jg.getEdge(u, v);
            if (existing == null) {
                jg.setEdgeWeight(jg.addEdge(u, v), w);
            } else if (w < jg.getEdgeWeight(existing)) {
                jg.setEdgeWeight(existing, w);   // WeightedGraph keeps the shortest parallel edge
            }
        }
        WeightedGraph g = b.build();
        DMatrixRMaj d = GraphGeodesics.allPairs(g, 2);
        DijkstraShortestPath<Integer, DefaultWeightedEdge> dijkstra = new DijkstraShortestPath<>(jg);
        int reachable = 0;
        for (int s = 0; s < n; s++) {
            SingleSourcePaths<Integer, DefaultWeightedEdge> paths = dijkstra.getPaths(s);
            for (int t = 0; t < n; t++) {
                double expected = paths.getWeight(t);
                if (Double.isInfinite(expected)) {
                    assertEquals(Double.POSITIVE_INFINITY, d.get(s, t), "pair " + s + ", " + t);
                } else {
                    reachable++;
                    assertEquals(expected, d.get(s, t), AGREEMENT_TOLERANCE, "pair " + s + ", " + t);
                }
            }
        }
        assertTrue(reachable > n * n / 2, "the random graph should be mostly connected, " + reachable + " pairs");
    }

    @Test
    void tinyGraphMatchesHandComputedDistances() {
        // 0 -1- 1 -1- 2, and a direct 0-2 edge of length 3 (longer than the path through 1); 3 hangs off 2.
        WeightedGraph g = WeightedGraph.builder(4).addEdge(0, 1, 1).addEdge(1, 2, 1).addEdge(0, 2, 3)
                .addEdge(2, 3, 0.5).build();
        assertArrayEquals(new double[] {0, 1, 2, 2.5}, GraphGeodesics.singleSource(g, 0), 0.0);
        DMatrixRMaj d = GraphGeodesics.allPairs(g, 1);
        double[] expected = {
            0, 1, 2, 2.5,
            1, 0, 1, 1.5,
            2, 1, 0, 0.5,
            2.5, 1.5, 0.5, 0};
        assertArrayEquals(expected, d.data, 0.0);
    }

    @Test
    void unreachableVerticesAreInfinite() {
        WeightedGraph g = WeightedGraph.builder(3).addEdge(0, 1, 2).build();
        double[] d = GraphGeodesics.singleSource(g, 0);
        assertEquals(2, d[1], 0.0);
        assertEquals(Double.POSITIVE_INFINITY, d[2]);
        assertEquals(Double.POSITIVE_INFINITY, GraphGeodesics.allPairs(g, 2).get(2, 1));
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        TriangleMesh mesh = MeshGenerators.sCurve(300).mesh();
        WeightedGraph g = mesh.edgeGraph();
        assertArrayEquals(GraphGeodesics.allPairs(g, 1).data, GraphGeodesics.allPairs(g, 2).data, 0.0);
    }

    @Test
    void badArgumentsAreRejected() {
        WeightedGraph g = WeightedGraph.builder(2).addEdge(0, 1, 1).build();
        assertThrows(IllegalArgumentException.class, () -> GraphGeodesics.singleSource(g, 2));
        assertThrows(IllegalArgumentException.class, () -> GraphGeodesics.allPairs(g, 0));
    }
}
