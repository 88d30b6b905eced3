package org.gwembed.metricspaces;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;

/**
 * A cells × features matrix from any of the formats the single-cell inputs come in: a 10x Matrix Market folder
 * ({@link MatrixMarket}), an AnnData {@code .h5ad} file at a key ({@link AnnData}), a NumPy {@code .npz} archive
 * ({@link NumpyArchives}: one array, or a scipy.sparse CSR/CSC matrix), or a table ({@link Tables}).
 */
public final class FeatureMatrices {

    private FeatureMatrices() {
    }

    /** Whether {@code file} is read as AnnData: a {@code .h5ad} or {@code .h5} name, or an HDF5 signature. */
    public static boolean isAnnData(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".h5ad") || name.endsWith(".h5") || (Files.isRegularFile(file) && AnnData.isHdf5(file));
    }

    /**
     * The matrix of {@code file}.
     *
     * @param key the AnnData key ({@code X} when null); must be null for other formats
     * @throws InputFormatException when the file cannot be read as its format, or a key is given for a format
     *                              without keys
     */
    public static DMatrixRMaj read(Path file, String key) {
        Rows rows = readRows(file, key);
        try {
            return rows.toDense();
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * The matrix of {@code file} as stored: sparse for a 10x folder and a CSR/CSC AnnData key, dense otherwise.
     *
     * @param key as for {@link #read}
     */
    public static Rows readRows(Path file, String key) {
        if (Files.isDirectory(file)) {
            requireNoKey(file, key, "a 10x Matrix Market folder");
            return Rows.of(MatrixMarket.readTenXCells(file));
        }
        if (isAnnData(file)) {
            return AnnData.readRows(file, key);
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")) {
            return NumpyArchives.readRows(file, key);
        }
        requireNoKey(file, key, "a table");
        return Rows.of(Tables.read(file).values());
    }

    /**
     * A points × features matrix, dense or sparse (exactly one of the two is non-null).
     *
     * @param dense  the dense form, or null
     * @param sparse the sparse form, or null
     */
    public record Rows(DMatrixRMaj dense, SparseRows sparse) {

        /** Exactly one form. */
        public Rows {
            if ((dense == null) == (sparse == null)) {
                throw new IllegalArgumentException("give exactly one of dense and sparse");
            }
        }

        /** Dense rows. */
        public static Rows of(DMatrixRMaj dense) {
            return new Rows(dense, null);
        }

        /** Sparse rows. */
        public static Rows of(SparseRows sparse) {
            return new Rows(null, sparse);
        }

        /** The number of rows (points). */
        public int rows() {
            return dense != null ? dense.numRows : sparse.rows();
        }

        /** The number of columns (features). */
        public int cols() {
            return dense != null ? dense.numCols : sparse.cols();
        }

        /** Whether the rows are held sparse. */
        public boolean isSparse() {
            return sparse != null;
        }

        /** The dense matrix (the sparse one densified). */
        public DMatrixRMaj toDense() {
            return dense != null ? dense : sparse.toDense();
        }
    }

    private static void requireNoKey(Path file, String key, String kind) {
        if (key != null) {
            throw new InputFormatException(file, "is " + kind + ", which has no keys; a key ('" + key
                    + "') is for AnnData .h5ad files");
        }
    }
}
