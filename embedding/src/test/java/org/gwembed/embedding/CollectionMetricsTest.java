package org.gwembed.embedding;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CollectionMetrics} against an independent implementation
 * ({@code src/test/resources/reference/collection_metrics_reference.py}: NumPy's silhouette formula and 1-NN,
 * SciPy's {@code linkage(method="average")} and {@code leaves_list}), and against hand-computed tiny cases.
 */
class CollectionMetricsTest {

    /** Silhouette and merge heights: sums of a few dozen distances, so round-off only. */
    private static final double TOLERANCE = 1e-12;

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = CollectionMetricsTest.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().lines().toList();
        }
    }

    private static double[][] matrix(String name) throws IOException {
        return lines(name).stream().map(l -> Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }

    private static String[] reference(String name) throws IOException {
        return lines("collection_metrics_reference.csv").stream().map(l -> l.split(",")).filter(f -> f[0].equals(name))
                .findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"blobs", "mixed", "overlap"})
    void agreesWithNumpyAndScipy(String name) throws IOException {
        DMatrixRMaj d = new DMatrixRMaj(matrix("collection_" + name + "_distances.csv"));
        int[] labels = lines("collection_" + name + "_labels.csv").stream().mapToInt(Integer::parseInt).toArray();
        String[] ref = reference(name);
        assertEquals(Integer.parseInt(ref[1]), d.numRows);
        assertEquals(Double.parseDouble(ref[2]), CollectionMetrics.silhouette(d, labels), TOLERANCE, "silhouette");
        assertEquals(Double.parseDouble(ref[3]), CollectionMetrics.nearestNeighbourAccuracy(d, labels), 0, "1-NN");
        CollectionMetrics.Dendrogram tree = CollectionMetrics.averageLinkage(d);
        int[] leaves = Arrays.stream(ref[4].split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(leaves, tree.leaves(), "leaves_list");
        double[][] z = matrix("collection_" + name + "_linkage.csv");
        double[][] ours = tree.linkage();
        assertEquals(z.length, ours.length);
        for (int r = 0; r < z.length; r++) {
            assertEquals(z[r][0], ours[r][0], 0, "row " + r + " first child");
            assertEquals(z[r][1], ours[r][1], 0, "row " + r + " second child");
            assertEquals(z[r][2], ours[r][2], TOLERANCE * Math.max(1, z[r][2]), "row " + r + " height");
            assertEquals(z[r][3], ours[r][3], 0, "row " + r + " size");
        }
    }

    /** Points 0, 1, 3, 7 on a line, classes {0, 1} and {3, 7}: every number by hand. */
    @Test
    void tinyLineByHand() {
        double[] x = {0, 1, 3, 7};
        DMatrixRMaj d = line(x);
        int[] labels = {5, 5, 2, 2};
        // a = 1, 1, 4, 4; b = mean to the other class: (3+7)/2 = 5, (2+6)/2 = 4, (3+2)/2 = 2.5, (7+6)/2 = 6.5
        double[] expected = {(5 - 1) / 5.0, (4 - 1) / 4.0, (2.5 - 4) / 4, (6.5 - 4) / 6.5};
        assertArrayEquals(expected, CollectionMetrics.silhouetteSamples(d, labels), TOLERANCE);
        assertEquals(Arrays.stream(expected).average().orElseThrow(), CollectionMetrics.silhouette(d, labels),
                TOLERANCE);
        // nearest others: 1, 0, 1 (distance 2), 2 (distance 4): member 2's nearest is 1, of the other class
        assertEquals(0.75, CollectionMetrics.nearestNeighbourAccuracy(d, labels), 0);
        // UPGMA: {0,1} at 1; {01, 3} at (3 + 2)/2 = 2.5; {013, 7} at (7 + 6 + 4)/3
        double[][] z = CollectionMetrics.averageLinkage(d).linkage();
        assertArrayEquals(new double[] {0, 1, 1, 2}, z[0], TOLERANCE);
        assertArrayEquals(new double[] {2, 4, 2.5, 3}, z[1], TOLERANCE);
        assertArrayEquals(new double[] {3, 5, 17.0 / 3, 4}, z[2], TOLERANCE);
        assertArrayEquals(new int[] {3, 2, 0, 1}, CollectionMetrics.averageLinkage(d).leaves());
    }

    @Test
    void singletonsScoreZeroAndSeparatedClustersScoreNearOne() {
        DMatrixRMaj d = line(new double[] {0, 0.001, 10, 10.001, 50});
        double[] s = CollectionMetrics.silhouetteSamples(d, new int[] {0, 0, 1, 1, 2});
        assertEquals(0, s[4], 0, "a member alone in its class");
        for (int i = 0; i < 4; i++) {
            assertEquals(1, s[i], 1e-3);
        }
    }

    @Test
    void tiesGoToTheLowerIndex() {
        DMatrixRMaj d = line(new double[] {0, 1, 2});
        // member 1 is at distance 1 from both 0 and 2: it takes 0's label (wrong here; 2's would be right)
        assertEquals(0, CollectionMetrics.nearestOther(d, 1));
        assertEquals(1.0 / 3, CollectionMetrics.nearestNeighbourAccuracy(d, new int[] {0, 1, 1}), 0);
        // UPGMA ties: (0,1) and (1,2) are both at 1; the pair of lower ids merges first
        assertArrayEquals(new double[] {0, 1, 1, 2}, CollectionMetrics.averageLinkage(d).linkage()[0], 0);
    }

    @Test
    void mergeHeightsDoNotDependOnTheOrderOfTheMembers() {
        DMatrixRMaj d = line(new double[] {0, 0.5, 5, 5.7, 12});
        int[] perm = {4, 2, 0, 3, 1};
        DMatrixRMaj p = new DMatrixRMaj(5, 5);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                p.set(i, j, d.get(perm[i], perm[j]));
            }
        }
        double[][] a = CollectionMetrics.averageLinkage(d).linkage();
        double[][] b = CollectionMetrics.averageLinkage(p).linkage();
        for (int r = 0; r < a.length; r++) {
            assertEquals(a[r][2], b[r][2], TOLERANCE, "merge heights do not depend on the order of the members");
            assertEquals(a[r][3], b[r][3], 0);
        }
        int[] leaves = CollectionMetrics.averageLinkage(p).leaves();
        int[] sorted = leaves.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted, "a permutation of the members");
    }

    @Test
    void rejectsBadInput() {
        DMatrixRMaj d = line(new double[] {0, 1, 2});
        assertRejects("labels has 2 entries", () -> CollectionMetrics.silhouette(d, new int[] {0, 1}));
        assertRejects("distinct values", () -> CollectionMetrics.silhouette(d, new int[] {0, 0, 0}));
        assertRejects("distinct values", () -> CollectionMetrics.silhouette(d, new int[] {0, 1, 2}));
        assertRejects("square", () -> CollectionMetrics.averageLinkage(new DMatrixRMaj(2, 3)));
        DMatrixRMaj asym = d.copy();
        asym.set(0, 1, 1.5);
        assertRejects("symmetric", () -> CollectionMetrics.nearestNeighbourAccuracy(asym, new int[] {0, 0, 1}));
        DMatrixRMaj nan = d.copy();
        nan.set(0, 2, Double.NaN);
        assertRejects("distances[0,2]", () -> CollectionMetrics.averageLinkage(nan));
        assertRejects("at least 2", () -> CollectionMetrics.nearestNeighbourAccuracy(new DMatrixRMaj(1, 1),
                new int[] {0}));
        assertArrayEquals(new int[] {0}, CollectionMetrics.averageLinkage(new DMatrixRMaj(1, 1)).leaves());
    }

    private static DMatrixRMaj line(double[] x) {
        DMatrixRMaj d = new DMatrixRMaj(x.length, x.length);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                d.set(i, j, Math.abs(x[i] - x[j]));
            }
        }
        return d;
    }
}
