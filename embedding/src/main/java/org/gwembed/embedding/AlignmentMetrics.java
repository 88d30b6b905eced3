package org.gwembed.embedding;

import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Alignment metrics for paired samples (METHOD.md §6): FOSCTTM and label-transfer accuracy on two embeddings
 * {@code Z₁, Z₂} ({@code n × d}, row i of each is the same sample).
 *
 * <p><b>FOSCTTM</b> (fraction of samples closer than the true match), with {@code D_ij = ‖z¹_i − z²_j‖}:
 * one-directional (the EW_λ reference) {@code mean_i #{j ≠ i : D_ij < D_ii} / (n − 1)}; symmetric (SCOT, JMDS)
 * the mean of that and the same on {@code Dᵀ}. <b>Ties never favour the method:</b> a {@code j} with
 * {@code D_ij = D_ii} (within {@link #TIE_TOLERANCE} relative) counts one half, its expected value under random
 * tie-breaking — a collapsed embedding scores 0.5, chance level, not 0. The strict count SCOT uses would give it 0.
 *
 * <p><b>Label transfer</b>: a k-nearest-neighbour classifier (k = 5, Euclidean, majority vote; vote ties go to the
 * class whose voters are nearer in total, then to the smaller class index) trained on one side's labels predicts
 * the other side's; accuracy in both directions.
 */
public final class AlignmentMetrics {

    /** Relative tolerance under which two distances count as tied. */
    public static final double TIE_TOLERANCE = 1e-12;

    private AlignmentMetrics() {
    }

    /**
     * FOSCTTM in both conventions.
     *
     * @param oneDirectional mean over samples of domain 1 (the reference's convention)
     * @param reverse        the same from domain 2's side
     * @param symmetric      mean of the two (SCOT / JMDS convention)
     * @param ties           pairs counted as ties (each counted ½)
     */
    public record Foscttm(double oneDirectional, double reverse, double symmetric, long ties) {
    }

    /** FOSCTTM of paired embeddings {@code z1}, {@code z2} (same number of rows and columns, n ≥ 2). */
    public static Foscttm foscttm(DMatrixRMaj z1, DMatrixRMaj z2) {
        return foscttm(z1, z2, false);
    }

    /**
     * FOSCTTM; with {@code angles} every coordinate is an angle in radians and differences are taken around the
     * circle (projections onto the flat torus or the circle).
     */
    public static Foscttm foscttm(DMatrixRMaj z1, DMatrixRMaj z2, boolean angles) {
        checkPaired(z1, z2);
        int n = z1.numRows;
        double forward = 0;
        double backward = 0;
        long ties = 0;
        double[] row = new double[n];
        double[] col = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                row[j] = angles ? angularDistance(z1, i, z2, j) : distance(z1, i, z2, j);
                col[j] = angles ? angularDistance(z1, j, z2, i) : distance(z1, j, z2, i);
            }
            double own = row[i];
            double tol = TIE_TOLERANCE * Math.max(own, Double.MIN_NORMAL);
            double f = 0;
            double b = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                if (Math.abs(row[j] - own) <= tol) {
                    f += 0.5;
                    ties++;
                } else if (row[j] < own) {
                    f += 1;
                }
                if (Math.abs(col[j] - own) <= tol) {
                    b += 0.5;
                    ties++;
                } else if (col[j] < own) {
                    b += 1;
                }
            }
            forward += f / (n - 1);
            backward += b / (n - 1);
        }
        forward /= n;
        backward /= n;
        return new Foscttm(forward, backward, 0.5 * (forward + backward), ties);
    }

    /**
     * Label-transfer accuracy in both directions.
     *
     * @param oneFromTwo classifier trained on domain 2 predicts domain 1 (SCOT's direction)
     * @param twoFromOne trained on domain 1, predicts domain 2
     */
    public record LabelTransfer(double oneFromTwo, double twoFromOne) {
        /** The mean of both directions. */
        public double mean() {
            return 0.5 * (oneFromTwo + twoFromOne);
        }
    }

    /** k-NN label transfer (labels as class indices {@code >= 0}). */
    public static LabelTransfer labelTransfer(DMatrixRMaj z1, int[] labels1, DMatrixRMaj z2, int[] labels2, int k) {
        Require.nonNull(z1, "z1");
        Require.nonNull(z2, "z2");
        Require.nonNull(labels1, "labels1");
        Require.nonNull(labels2, "labels2");
        if (labels1.length != z1.numRows || labels2.length != z2.numRows) {
            throw new IllegalArgumentException("labels1 has " + labels1.length + " entries for " + z1.numRows
                    + " points, labels2 " + labels2.length + " for " + z2.numRows);
        }
        if (z1.numCols != z2.numCols) {
            throw new IllegalArgumentException("embeddings have " + z1.numCols + " and " + z2.numCols + " columns");
        }
        Require.atLeast(k, 1, "k");
        return new LabelTransfer(accuracy(z2, labels2, z1, labels1, k), accuracy(z1, labels1, z2, labels2, k));
    }

    /** Accuracy of predicting {@code testLabels} from the k nearest training points. */
    static double accuracy(DMatrixRMaj train, int[] trainLabels, DMatrixRMaj test, int[] testLabels, int k) {
        int m = train.numRows;
        int kk = Math.min(k, m);
        int classes = 0;
        for (int c : trainLabels) {
            classes = Math.max(classes, c + 1);
        }
        int correct = 0;
        Integer[] order = new Integer[m];
        double[] d = new double[m];
        for (int i = 0; i < test.numRows; i++) {
            for (int j = 0; j < m; j++) {
                d[j] = distance(test, i, train, j);
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b));
            int[] votes = new int[classes];
            double[] near = new double[classes];
            for (int t = 0; t < kk; t++) {
                int j = order[t];
                votes[trainLabels[j]]++;
                near[trainLabels[j]] += d[j];
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best] || (votes[c] == votes[best] && near[c] < near[best])) {
                    best = c;
                }
            }
            if (best == testLabels[i]) {
                correct++;
            }
        }
        return correct / (double) test.numRows;
    }

    /** Rows of {@code z} with the given indices, in order (for validation/test splits). */
    public static DMatrixRMaj rows(DMatrixRMaj z, List<Integer> indices) {
        DMatrixRMaj out = new DMatrixRMaj(indices.size(), z.numCols);
        for (int a = 0; a < indices.size(); a++) {
            for (int c = 0; c < z.numCols; c++) {
                out.unsafe_set(a, c, z.unsafe_get(indices.get(a), c));
            }
        }
        return out;
    }

    private static void checkPaired(DMatrixRMaj z1, DMatrixRMaj z2) {
        Require.nonNull(z1, "z1");
        Require.nonNull(z2, "z2");
        if (z1.numRows != z2.numRows || z1.numCols != z2.numCols) {
            throw new IllegalArgumentException("paired embeddings must have the same shape, got " + z1.numRows + "x"
                    + z1.numCols + " and " + z2.numRows + "x" + z2.numCols);
        }
        if (z1.numRows < 2) {
            throw new IllegalArgumentException("FOSCTTM needs at least 2 pairs, got " + z1.numRows);
        }
    }

    private static double distance(DMatrixRMaj a, int i, DMatrixRMaj b, int j) {
        double s = 0;
        for (int c = 0; c < a.numCols; c++) {
            double t = a.unsafe_get(i, c) - b.unsafe_get(j, c);
            s += t * t;
        }
        return Math.sqrt(s);
    }

    private static double angularDistance(DMatrixRMaj a, int i, DMatrixRMaj b, int j) {
        double s = 0;
        for (int c = 0; c < a.numCols; c++) {
            double t = Math.abs(a.unsafe_get(i, c) - b.unsafe_get(j, c)) % (2 * Math.PI);
            t = Math.min(t, 2 * Math.PI - t);
            s += t * t;
        }
        return Math.sqrt(s);
    }
}
