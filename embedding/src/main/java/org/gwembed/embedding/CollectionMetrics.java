package org.gwembed.embedding;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * How well a matrix of pairwise distances between the members of a collection (e.g. GW between motion sequences)
 * separates labelled classes, and an order of the members for heat maps.
 *
 * <ul>
 * <li>{@link #nearestNeighbourAccuracy}: leave-one-out 1-NN classification: member {@code i} gets the label of its
 *     nearest other member; ties in distance go to the lower index.</li>
 * <li>{@link #silhouette}: scikit-learn's {@code silhouette_score(D, labels, metric="precomputed")}: for each
 *     member {@code a} = mean distance to the other members of its class, {@code b} = the smallest mean distance to
 *     the members of another class, {@code s = (b − a) / max(a, b)} ({@code 0} when both are 0), and {@code s = 0}
 *     for a member alone in its class; the score is the mean of {@code s}.</li>
 * <li>{@link #averageLinkage}: agglomerative clustering with average linkage (UPGMA), the tree in SciPy's linkage
 *     format and its leaf order, which for untied merge heights equal
 *     {@code scipy.cluster.hierarchy.linkage(squareform(D), "average")} and {@code leaves_list} of it.</li>
 * </ul>
 *
 * <p>Neither library on the class path offers these: Commons Math 3.6.1's {@code ml.clustering} has k-means(++),
 * fuzzy k-means, DBSCAN and one evaluator ({@code SumOfClusterVariances}), no hierarchical clustering and no
 * silhouette; JGraphT 1.5.2's {@code alg.clustering} has k-spanning-tree (single linkage cut at k clusters),
 * label propagation and Girvan–Newman, no average linkage and no dendrogram order.
 *
 * <p>The distance matrix must be square, finite, {@code >= 0} and symmetric within {@link #SYMMETRY_TOLERANCE}
 * relative to its largest entry; its diagonal is ignored.
 */
public final class CollectionMetrics {

    /** Relative tolerance of the symmetry check. */
    public static final double SYMMETRY_TOLERANCE = 1e-9;

    private CollectionMetrics() {
    }

    /**
     * Leave-one-out 1-NN accuracy: the fraction of members whose nearest other member (ties: the lower index) has
     * the same label.
     *
     * @param distances {@code n × n}, {@code n >= 2}
     * @param labels    {@code n} class labels (any integers)
     */
    public static double nearestNeighbourAccuracy(DMatrixRMaj distances, int[] labels) {
        int n = validated(distances, labels, 2);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (labels[nearestOther(distances, i)] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /** The nearest member other than {@code i} (ties: the lower index). */
    public static int nearestOther(DMatrixRMaj distances, int i) {
        int n = distances.numRows;
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i && (best < 0 || distances.get(i, j) < bestD)) {
                best = j;
                bestD = distances.get(i, j);
            }
        }
        return best;
    }

    /**
     * The mean silhouette coefficient (scikit-learn's definition, see the class comment).
     *
     * @param distances {@code n × n}
     * @param labels    {@code n} labels with at least 2 and at most {@code n − 1} distinct values (as scikit-learn
     *                  requires)
     */
    public static double silhouette(DMatrixRMaj distances, int[] labels) {
        double[] s = silhouetteSamples(distances, labels);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return sum / s.length;
    }

    /** The silhouette coefficient of every member (scikit-learn's {@code silhouette_samples}). */
    public static double[] silhouetteSamples(DMatrixRMaj distances, int[] labels) {
        int n = validated(distances, labels, 2);
        int[] cls = denseClasses(labels);
        int k = Arrays.stream(cls).max().orElse(0) + 1;
        if (k < 2 || k > n - 1) {
            throw new IllegalArgumentException("labels must have between 2 and n - 1 = " + (n - 1)
                    + " distinct values for a silhouette, got " + k);
        }
        int[] size = new int[k];
        for (int c : cls) {
            size[c]++;
        }
        double[] out = new double[n];
        double[] sums = new double[k];
        for (int i = 0; i < n; i++) {
            Arrays.fill(sums, 0);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sums[cls[j]] += distances.get(i, j);
                }
            }
            int own = cls[i];
            if (size[own] == 1) {
                out[i] = 0;
                continue;
            }
            double a = sums[own] / (size[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own) {
                    b = Math.min(b, sums[c] / size[c]);
                }
            }
            double m = Math.max(a, b);
            out[i] = m > 0 ? (b - a) / m : 0;
        }
        return out;
    }

    /**
     * An average-linkage tree.
     *
     * @param linkage {@code (n − 1) × 4} in SciPy's format: row {@code r} merges clusters {@code linkage[r][0] <
     *                linkage[r][1]} (ids below {@code n} are members, {@code n + r'} the cluster made by row
     *                {@code r'}) at height {@code linkage[r][2]} (the mean distance between their members) into a
     *                cluster of {@code linkage[r][3]} members; heights do not decrease
     * @param leaves  the members in the tree's order (pre-order, the smaller id first at every merge): SciPy's
     *                {@code leaves_list}
     */
    public record Dendrogram(double[][] linkage, int[] leaves) {
        public Dendrogram {
            linkage = Arrays.stream(linkage).map(double[]::clone).toArray(double[][]::new);
            leaves = leaves.clone();
        }

        @Override
        public double[][] linkage() {
            return Arrays.stream(linkage).map(double[]::clone).toArray(double[][]::new);
        }

        @Override
        public int[] leaves() {
            return leaves.clone();
        }
    }

    /**
     * Average-linkage (UPGMA) agglomerative clustering: repeatedly merge the two clusters with the smallest mean
     * distance between their members (ties: the pair of clusters whose smaller, then larger, current id is lowest,
     * a rule of ours; SciPy's order for ties is that of its nearest-neighbour chain). {@code O(n³)} time,
     * {@code O(n²)} memory: a second for a thousand members.
     *
     * @param distances {@code n × n}, {@code n >= 1}
     */
    public static Dendrogram averageLinkage(DMatrixRMaj distances) {
        int n = validated(distances, null, 1);
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = i == j ? 0 : distances.get(i, j);
            }
        }
        int[] id = new int[n]; // current cluster id of each slot
        int[] size = new int[n];
        boolean[] active = new boolean[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
            size[i] = 1;
            active[i] = true;
        }
        double[][] z = new double[n - 1][];
        for (int r = 0; r < n - 1; r++) {
            int bi = -1;
            int bj = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (!active[i]) {
                    continue;
                }
                for (int j = i + 1; j < n; j++) {
                    if (!active[j]) {
                        continue;
                    }
                    double v = d[i * n + j];
                    if (bi < 0 || v < best || (v == best && tieBefore(id, i, j, bi, bj))) {
                        bi = i;
                        bj = j;
                        best = v;
                    }
                }
            }
            int lo = Math.min(id[bi], id[bj]);
            int hi = Math.max(id[bi], id[bj]);
            int merged = size[bi] + size[bj];
            z[r] = new double[] {lo, hi, best, merged};
            // the merged cluster lives in slot bi; mean distances update by the sizes (Lance–Williams, UPGMA)
            for (int k = 0; k < n; k++) {
                if (active[k] && k != bi && k != bj) {
                    double v = (size[bi] * d[bi * n + k] + size[bj] * d[bj * n + k]) / merged;
                    d[bi * n + k] = v;
                    d[k * n + bi] = v;
                }
            }
            active[bj] = false;
            size[bi] = merged;
            id[bi] = n + r;
        }
        return new Dendrogram(z, leafOrder(z, n));
    }

    /** Whether the pair of slots (i, j) comes before (bi, bj) among equal heights, by their sorted cluster ids. */
    private static boolean tieBefore(int[] id, int i, int j, int bi, int bj) {
        int a0 = Math.min(id[i], id[j]);
        int a1 = Math.max(id[i], id[j]);
        int b0 = Math.min(id[bi], id[bj]);
        int b1 = Math.max(id[bi], id[bj]);
        return a0 < b0 || (a0 == b0 && a1 < b1);
    }

    /** Pre-order leaves of a linkage, the first child (smaller id) first. */
    private static int[] leafOrder(double[][] z, int n) {
        List<Integer> out = new ArrayList<>(n);
        if (n == 1) {
            return new int[] {0};
        }
        Deque<Integer> stack = new ArrayDeque<>();
        stack.push(n + z.length - 1);
        while (!stack.isEmpty()) {
            int c = stack.pop();
            if (c < n) {
                out.add(c);
            } else {
                double[] row = z[c - n];
                stack.push((int) row[1]);
                stack.push((int) row[0]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Labels renumbered 0, 1, ... in order of first appearance. */
    private static int[] denseClasses(int[] labels) {
        int[] out = new int[labels.length];
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int k = seen.indexOf(labels[i]);
            if (k < 0) {
                k = seen.size();
                seen.add(labels[i]);
            }
            out[i] = k;
        }
        return out;
    }

    private static int validated(DMatrixRMaj distances, int[] labels, int minSize) {
        Require.nonNull(distances, "distances");
        int n = distances.numRows;
        if (n != distances.numCols || n < minSize) {
            throw new IllegalArgumentException("distances must be square with at least " + minSize
                    + " rows, got " + distances.numRows + "x" + distances.numCols);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but distances are " + n
                    + "x" + n);
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = distances.get(i, j);
                if (i != j && (!Double.isFinite(v) || v < 0)) {
                    throw new IllegalArgumentException("distances[" + i + "," + j + "] must be finite and >= 0, got "
                            + v);
                }
                if (i != j) {
                    max = Math.max(max, v);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double diff = Math.abs(distances.get(i, j) - distances.get(j, i));
                if (diff > SYMMETRY_TOLERANCE * max) {
                    throw new IllegalArgumentException("distances must be symmetric: [" + i + "," + j + "] = "
                            + distances.get(i, j) + " but [" + j + "," + i + "] = " + distances.get(j, i));
                }
            }
        }
        return n;
    }
}
