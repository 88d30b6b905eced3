package org.gwembed.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.embedding.SingleCellAlignment;
import org.gwembed.metricspaces.AnnData;
import org.gwembed.metricspaces.FeatureMatrices;
import org.gwembed.metricspaces.InputFormatException;
import org.gwembed.metricspaces.Labels;

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
     * @param x             features of modality 1 (cells × features; CSV/TSV/NPY, AnnData .h5ad, or a 10x Matrix
     *                      Market folder)
     * @param y             features of modality 2 (the same cells, in the same order)
     * @param labelsX       labels of x's cells, one per line, or null
     * @param labelsY       labels of y's cells, or null (both or neither, counting the obs columns)
     * @param xKey          the AnnData key of x ({@code X}, {@code obsm/X_pca}, …), or null for the default
     * @param yKey          the AnnData key of y, or null
     * @param labelsXColumn an {@code obs} column of x (an .h5ad) holding its labels, instead of labelsX, or null
     * @param labelsYColumn an {@code obs} column of y, or null
     */
    public record Files(Path x, Path y, Path labelsX, Path labelsY, String xKey, String yKey, String labelsXColumn,
            String labelsYColumn) {
        public Files {
            Require.nonNull(x, "x");
            Require.nonNull(y, "y");
            if ((labelsX == null && labelsXColumn == null) != (labelsY == null && labelsYColumn == null)) {
                throw new IllegalArgumentException("give both label files, or neither");
            }
        }

        /** Feature tables and label files, without keys. */
        public Files(Path x, Path y, Path labelsX, Path labelsY) {
            this(x, y, labelsX, labelsY, null, null, null, null);
        }

        /** Whether the dataset has labels. */
        public boolean hasLabels() {
            return labelsX != null || labelsXColumn != null;
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
            return files.labelsXColumn() != null ? xName() + " obs:" + files.labelsXColumn()
                    : files.labelsX() == null ? null : files.labelsX().getFileName().toString();
        }

        /** The file name of y's labels, or null. */
        public String labelsYName() {
            return files.labelsYColumn() != null ? yName() + " obs:" + files.labelsYColumn()
                    : files.labelsY() == null ? null : files.labelsY().getFileName().toString();
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

    /**
     * The matrix, refused with its file's name and the first non-finite entry if it has one (sparse rows are
     * checked finite when built).
     */
    private static FeatureMatrices.Rows finite(Path file, FeatureMatrices.Rows rows) {
        if (rows.isSparse()) {
            return rows;
        }
        DMatrixRMaj m = rows.dense();
        for (int k = 0; k < m.data.length && k < m.numRows * m.numCols; k++) {
            if (!Double.isFinite(m.data[k])) {
                throw new InputFormatException(file, "row " + (k / m.numCols + 1) + ", column " + (k % m.numCols + 1)
                        + " must be finite, got " + m.data[k]);
            }
        }
        return rows;
    }

    /**
     * Reads two feature tables and their labels; the labels of both modalities share one class numbering.
     *
     * @throws InputFormatException when the tables list different numbers of cells, a label file does not match or a
     *                              table holds a non-finite value
     */
    public static Dataset load(Files f) {
        long t0 = System.nanoTime();
        FeatureMatrices.Rows x = finite(f.x(), FeatureMatrices.readRows(f.x(), f.xKey()));
        FeatureMatrices.Rows y = finite(f.y(), FeatureMatrices.readRows(f.y(), f.yKey()));
        if (x.rows() != y.rows()) {
            throw new InputFormatException(f.y(), "has " + y.rows() + " rows but " + f.x() + " has " + x.rows()
                    + "; the two modalities must list the same cells in the same order");
        }
        int[] classesX = null;
        int[] classesY = null;
        List<String> names = null;
        if (f.hasLabels()) {
            List<String> l1 = f.labelsXColumn() != null ? AnnData.labels(f.x(), f.labelsXColumn())
                    : Labels.read(f.labelsX());
            List<String> l2 = f.labelsYColumn() != null ? AnnData.labels(f.y(), f.labelsYColumn())
                    : Labels.read(f.labelsY());
            if (l1.size() != x.rows()) {
                throw new InputFormatException(f.labelsX() != null ? f.labelsX() : f.x(), "has " + l1.size() + " labels but " + f.x().getFileName()
                        + " has " + x.rows() + " cells");
            }
            if (l2.size() != y.rows()) {
                throw new InputFormatException(f.labelsY() != null ? f.labelsY() : f.y(), "has " + l2.size() + " labels but " + f.y().getFileName()
                        + " has " + y.rows() + " cells");
            }
            List<String> both = new ArrayList<>(l1);
            both.addAll(l2);
            Labels.Classes classes = Labels.toClasses(both);
            int n = x.rows();
            classesX = Arrays.copyOfRange(classes.indices(), 0, n);
            classesY = Arrays.copyOfRange(classes.indices(), n, 2 * n);
            names = classes.names();
        }
        return new Dataset(new SingleCellAlignment.Data(x, y, classesX, classesY), names, f,
                (System.nanoTime() - t0) / 1e9);
    }
}
