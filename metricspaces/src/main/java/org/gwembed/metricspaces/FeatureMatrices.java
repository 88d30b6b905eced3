package org.gwembed.metricspaces;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;

/**
 * A cells × features matrix from any of the formats the single-cell inputs come in: a 10x Matrix Market folder
 * ({@link MatrixMarket}), an AnnData {@code .h5ad} file at a key ({@link AnnData}), or a table ({@link Tables}).
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
        if (Files.isDirectory(file)) {
            requireNoKey(file, key, "a 10x Matrix Market folder");
            return MatrixMarket.readTenX(file).cellsByFeatures();
        }
        if (isAnnData(file)) {
            return AnnData.read(file, key);
        }
        requireNoKey(file, key, "a table");
        return Tables.read(file).values();
    }

    private static void requireNoKey(Path file, String key, String kind) {
        if (key != null) {
            throw new InputFormatException(file, "is " + kind + ", which has no keys; a key ('" + key
                    + "') is for AnnData .h5ad files");
        }
    }
}
