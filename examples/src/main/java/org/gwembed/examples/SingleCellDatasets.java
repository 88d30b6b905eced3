package org.gwembed.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.embedding.SingleCellAlignment;
import org.gwembed.metricspaces.InputFormatException;
import org.gwembed.metricspaces.Labels;
import org.gwembed.metricspaces.Tables;

/**
 * The paired single-cell datasets of the paper (SNAREseq: ATAC vs RNA, 1047 cells; scGEM: expression vs methylation,
 * 177 cells) as the shared data directory holds them, and any two feature tables with their labels.
 */
public final class SingleCellDatasets {

    /** The datasets, in the order of the paper's Table 1. */
    public static final List<String> NAMES = List.of("snareseq", "scgem");

    private SingleCellDatasets() {
    }

    /**
     * The files of one dataset.
     *
     * @param x       features of modality 1 (cells × features; CSV/TSV/NPY)
     * @param y       features of modality 2 (the same cells, in the same order)
     * @param labelsX labels of x's cells, one per line, or null
     * @param labelsY labels of y's cells, or null (both or neither)
     */
    public record Files(Path x, Path y, Path labelsX, Path labelsY) {
        public Files {
            Require.nonNull(x, "x");
            Require.nonNull(y, "y");
            if ((labelsX == null) != (labelsY == null)) {
                throw new IllegalArgumentException("give both label files, or neither");
            }
        }
    }

    /**
     * A loaded dataset.
     *
     * @param data        the features and class indices the alignment takes
     * @param labelNames  the class names (index → label), or null without labels
     * @param files       where it came from
     * @param seconds     time to read it
     */
    public record Dataset(SingleCellAlignment.Data data, List<String> labelNames, Files files, double seconds) {

        /** The file name of x, for titles and reports. */
        public String xName() {
            return files.x().getFileName().toString();
        }

        /** The file name of y. */
        public String yName() {
            return files.y().getFileName().toString();
        }

        /** The file name of x's labels, or null. */
        public String labelsXName() {
            return files.labelsX() == null ? null : files.labelsX().getFileName().toString();
        }

        /** The file name of y's labels, or null. */
        public String labelsYName() {
            return files.labelsY() == null ? null : files.labelsY().getFileName().toString();
        }
    }

    /** The files of {@code name} ({@code snareseq} or {@code scgem}) under {@code dataDir}. */
    public static Files files(String name, Path dataDir) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "snareseq" -> {
                Path d = dataDir.resolve("snareseq");
                return new Files(d.resolve("SNAREseq_atac_feat.npy"), d.resolve("SNAREseq_rna_feat.npy"),
                        d.resolve("SNAREseq_atac_types.txt"), d.resolve("SNAREseq_rna_types.txt"));
            }
            case "scgem" -> {
                Path d = dataDir.resolve("scgem");
                return new Files(d.resolve("scGEM_expression.csv"), d.resolve("scGEM_methylation.csv"),
                        d.resolve("scGEM_typeExpression.txt"), d.resolve("scGEM_typeMethylation.txt"));
            }
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; expected snareseq or scgem");
        }
    }

    /** Reads the dataset {@code name} from {@code dataDir}. */
    public static Dataset load(String name, Path dataDir) {
        return load(files(name, dataDir));
    }

    /** The table, refused with its file's name and the first non-finite entry if it has one. */
    private static DMatrixRMaj finite(Path file, DMatrixRMaj m) {
        for (int k = 0; k < m.data.length && k < m.numRows * m.numCols; k++) {
            if (!Double.isFinite(m.data[k])) {
                throw new InputFormatException(file, "row " + (k / m.numCols + 1) + ", column " + (k % m.numCols + 1)
                        + " must be finite, got " + m.data[k]);
            }
        }
        return m;
    }

    /**
     * Reads two feature tables and their labels; the labels of both modalities share one class numbering.
     *
     * @throws InputFormatException when the tables list different numbers of cells, a label file does not match or a
     *                              table holds a non-finite value
     */
    public static Dataset load(Files f) {
        long t0 = System.nanoTime();
        DMatrixRMaj x = finite(f.x(), Tables.read(f.x()).values());
        DMatrixRMaj y = finite(f.y(), Tables.read(f.y()).values());
        if (x.numRows != y.numRows) {
            throw new InputFormatException(f.y(), "has " + y.numRows + " rows but " + f.x() + " has " + x.numRows
                    + "; the two modalities must list the same cells in the same order");
        }
        int[] classesX = null;
        int[] classesY = null;
        List<String> names = null;
        if (f.labelsX() != null) {
            List<String> l1 = Labels.read(f.labelsX());
            List<String> l2 = Labels.read(f.labelsY());
            if (l1.size() != x.numRows) {
                throw new InputFormatException(f.labelsX(), "has " + l1.size() + " labels but " + f.x().getFileName()
                        + " has " + x.numRows + " cells");
            }
            if (l2.size() != y.numRows) {
                throw new InputFormatException(f.labelsY(), "has " + l2.size() + " labels but " + f.y().getFileName()
                        + " has " + y.numRows + " cells");
            }
            List<String> both = new ArrayList<>(l1);
            both.addAll(l2);
            Labels.Classes classes = Labels.toClasses(both);
            int n = x.numRows;
            classesX = Arrays.copyOfRange(classes.indices(), 0, n);
            classesY = Arrays.copyOfRange(classes.indices(), n, 2 * n);
            names = classes.names();
        }
        return new Dataset(new SingleCellAlignment.Data(x, y, classesX, classesY), names, f,
                (System.nanoTime() - t0) / 1e9);
    }
}
