package org.gwembed.metricspaces;

import java.nio.file.Path;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Precomputed distance matrices from files (METHOD.md §1, "precomputed distance matrices"), optional weight
 * vectors, and the mean normalisation that JointMDS applies to its inputs.
 */
public final class DistanceMatrices {

    private DistanceMatrices() {
    }

    /**
     * Reads a square distance matrix ({@code .csv}/{@code .tsv}/{@code .txt} or {@code .npy}, see {@link Tables})
     * and validates it as a {@link DenseMetricSpace} (square, finite, {@code >= 0}, symmetric, zero diagonal, within
     * {@link DenseMetricSpace#SYMMETRY_TOLERANCE}).
     *
     * @throws InputFormatException if the file cannot be read or the matrix fails validation; the message names
     *                              the file and the offending entry
     */
    public static DenseMetricSpace read(Path file) {
        Tables.Table t = Tables.read(file);
        try {
            // the table is fresh and ours: validated and symmetrised in place, not copied (32 MB at n = 2000)
            return DenseMetricSpace.adopt(t.values(), null, java.util.List.of(), "distance matrix " + file.getFileName());
        } catch (InputFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * Reads a weight vector: one number per line (text) or a 1-D {@code .npy} array.
     *
     * @throws InputFormatException if the file is not a single row or column of numbers
     */
    public static double[] readWeights(Path file) {
        return Tables.readVector(file);
    }

    /**
     * Reads a distance matrix and, optionally, its weights.
     *
     * @param distances       the distance-matrix file
     * @param weights         the weight file, or {@code null} for uniform weights
     * @param normalizeWeights whether the weights are divided by their sum; when {@code false} they must already
     *                        sum to 1 within {@link MetricMeasureSpace#WEIGHT_SUM_TOLERANCE}
     * @throws InputFormatException if a file cannot be read, or the weights do not fit the matrix (count, sign,
     *                              sum); the message names the file
     */
    public static MetricMeasureSpace read(Path distances, Path weights, boolean normalizeWeights) {
        DenseMetricSpace space = read(distances);
        if (weights == null) {
            return MetricMeasureSpace.uniform(space);
        }
        double[] w = readWeights(weights);
        try {
            return normalizeWeights ? MetricMeasureSpace.normalizing(space, w) : MetricMeasureSpace.of(space, w);
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(weights, e.getMessage() + " (distance matrix " + distances + " is "
                    + space.size() + "x" + space.size() + ")", e);
        }
    }

    /**
     * The mean of all {@code N²} entries of the distance matrix, diagonal included (NumPy's {@code D.mean()}, as
     * JointMDS uses it).
     */
    public static double meanDistance(MetricSpace space) {
        Require.nonNull(space, "space");
        int n = space.size();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = i + 1; j < n; j++) {
                row += space.distance(i, j);
            }
            sum += 2 * row;
        }
        return sum / ((double) n * n);
    }

    /**
     * The space scaled so that the mean of its {@code N²} distances (diagonal included, see
     * {@link #meanDistance(MetricSpace)}) equals {@code mean}: JointMDS's {@code D / D.mean()} with {@code mean = 1}.
     *
     * @throws IllegalArgumentException if {@code mean} is not positive and finite or all distances are 0
     */
    public static DenseMetricSpace normalizedToMean(MetricSpace space, double mean) {
        Require.positive(mean, "mean");
        double current = meanDistance(space);
        if (!(current > 0)) {
            throw new IllegalArgumentException("cannot normalise " + space.description() + " to mean " + mean
                    + ": all distances are 0");
        }
        return DenseMetricSpace.copyOf(space).scaled(mean / current);
    }

    /**
     * Writes a space's distance matrix as {@code .npy} or CSV, chosen by the extension ({@code .npy}, else CSV).
     */
    public static void write(Path file, MetricSpace space) {
        Require.nonNull(file, "file");
        Require.nonNull(space, "space");
        DMatrixRMaj d = space.distanceMatrix();
        if (String.valueOf(file.getFileName()).toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            Tables.writeNpy(file, d);
        } else {
            Tables.writeCsv(file, d, java.util.List.of());
        }
    }
}
