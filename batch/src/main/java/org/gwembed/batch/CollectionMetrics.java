package org.gwembed.batch;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * What a pairwise matrix says about a labelled collection: leave-one-out 1-nearest-neighbour accuracy, the mean
 * silhouette (Rousseeuw 1987, as scikit-learn's {@code silhouette_score(metric='precomputed')}), and the leaf order
 * of average-linkage hierarchical clustering (UPGMA, as SciPy's {@code leaves_list(linkage(..., 'average'))}) for
 * drawing the matrix. Entries must be finite; the diagonal is ignored.
 */
public final class CollectionMetrics {

    private CollectionMetrics() {
    }

    /**
     * Leave-one-out 1-NN accuracy: the share of members whose nearest other member (the smallest index among ties)
     * has the same label.
     */
    public static double nearestNeighbourAccuracy(DMatrixRMaj d, int[] labels) {
        int n = check(d, labels);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (j != i && (best < 0 || d.get(i, j) < d.get(i, best))) {
                    best = j;
                }
            }
            if (labels[best] == labels[i]) {
                correct++;
            }
        }
        return correct / (double) n;
    }

    /**
     * The mean silhouette: for member {@code i} with mean distance {@code a} to the other members of its class and
     * smallest mean distance {@code b} to another class, {@code s = (b − a) / max(a, b)} ({@code 0} for a member
     * alone in its class). Needs at least two classes.
     */
    public static double silhouette(DMatrixRMaj d, int[] labels) {
        int n = check(d, labels);
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        int[] count = new int[classes];
        for (int l : labels) {
            count[l]++;
        }
        int used = 0;
        for (int c : count) {
            used += c > 0 ? 1 : 0;
        }
        if (used < 2) {
            throw new IllegalArgumentException("labels must name at least 2 classes for a silhouette, got " + used);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] sum = new double[classes];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum[labels[j]] += d.get(i, j);
                }
            }
            int own = labels[i];
            if (count[own] == 1) {
                continue;
            }
            double a = sum[own] / (count[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (c != own && count[c] > 0) {
                    b = Math.min(b, sum[c] / count[c]);
                }
            }
            double m = Math.max(a, b);
            total += m > 0 ? (b - a) / m : 0;
        }
        return total / n;
    }

    /**
     * The leaves of the average-linkage dendrogram from left to right: repeatedly merge the two clusters with the
     * smallest mean pairwise distance (ties: the pair of smallest cluster ids), the cluster of smaller id on the
     * left (SciPy's convention: the leaves are ids {@code 0..n−1}, the {@code k}-th merge makes id {@code n + k}).
     */
    public static int[] averageLinkageOrder(DMatrixRMaj d) {
        int n = check(d, null);
        List<int[]> members = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        int[][] children = new int[2 * n - 1][];
        double[][] between = new double[n][n];
        for (int i = 0; i < n; i++) {
            members.add(new int[] {i});
            ids.add(i);
            for (int j = 0; j < n; j++) {
                between[i][j] = d.get(i, j);
            }
        }
        List<double[]> rows = new ArrayList<>();
        for (double[] r : between) {
            rows.add(r);
        }
        int next = n;
        while (ids.size() > 1) {
            int ba = -1;
            int bb = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < ids.size(); a++) {
                for (int b = a + 1; b < ids.size(); b++) {
                    double v = rows.get(a)[b];
                    if (v < best || (v == best && ba >= 0 && lexLess(ids, a, b, ba, bb))) {
                        best = v;
                        ba = a;
                        bb = b;
                    }
                }
            }
            int idA = ids.get(ba);
            int idB = ids.get(bb);
            children[next] = new int[] {Math.min(idA, idB), Math.max(idA, idB)};
            int sizeA = members.get(ba).length;
            int sizeB = members.get(bb).length;
            int[] merged = new int[sizeA + sizeB];
            System.arraycopy(members.get(ba), 0, merged, 0, sizeA);
            System.arraycopy(members.get(bb), 0, merged, sizeA, sizeB);
            // distances of the merged cluster: size-weighted means (UPGMA), kept in slot ba
            double[] ra = rows.get(ba);
            double[] rb = rows.get(bb);
            for (int c = 0; c < ids.size(); c++) {
                if (c != ba && c != bb) {
                    double v = (sizeA * ra[c] + sizeB * rb[c]) / (sizeA + sizeB);
                    ra[c] = v;
                    rows.get(c)[ba] = v;
                }
            }
            members.set(ba, merged);
            ids.set(ba, next++);
            members.remove(bb);
            ids.remove(bb);
            rows.remove(bb);
            for (double[] r : rows) {
                removeAt(r, bb, ids.size() + 1);
            }
        }
        int[] order = new int[n];
        int[] at = {0};
        leaves(children, ids.get(0), n, order, at);
        return order;
    }

    private static boolean lexLess(List<Integer> ids, int a, int b, int ba, int bb) {
        int lo = Math.min(ids.get(a), ids.get(b));
        int hi = Math.max(ids.get(a), ids.get(b));
        int blo = Math.min(ids.get(ba), ids.get(bb));
        int bhi = Math.max(ids.get(ba), ids.get(bb));
        return lo < blo || (lo == blo && hi < bhi);
    }

    private static void removeAt(double[] r, int k, int length) {
        System.arraycopy(r, k + 1, r, k, length - k - 1);
    }

    private static void leaves(int[][] children, int id, int n, int[] order, int[] at) {
        if (id < n) {
            order[at[0]++] = id;
            return;
        }
        leaves(children, children[id][0], n, order, at);
        leaves(children, children[id][1], n, order, at);
    }

    private static int check(DMatrixRMaj d, int[] labels) {
        Require.nonNull(d, "d");
        if (d.numRows != d.numCols || d.numRows < 2) {
            throw new IllegalArgumentException("d must be square with at least 2 rows, got " + d.numRows + "x"
                    + d.numCols);
        }
        for (int i = 0; i < d.numRows; i++) {
            for (int j = 0; j < d.numCols; j++) {
                if (i != j && !Double.isFinite(d.get(i, j))) {
                    throw new IllegalArgumentException("d[" + i + "," + j + "] must be finite, got " + d.get(i, j));
                }
            }
        }
        if (labels != null) {
            if (labels.length != d.numRows) {
                throw new IllegalArgumentException("labels has " + labels.length + " entries but d is " + d.numRows
                        + "x" + d.numRows);
            }
            for (int i = 0; i < labels.length; i++) {
                Require.nonNegative(labels[i], "labels[" + i + "]");
            }
        }
        return d.numRows;
    }
}
