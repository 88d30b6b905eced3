package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AnnData} on the files of {@code anndata/make_h5ad.py} (h5py, the layout anndata writes). */
class AnnDataTest {

    private static final double[] X = {1, 0, 2, 0, 0, 3, 4, 5, 0, 0, 6, 0};

    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(AnnDataTest.class.getResource("/anndata/" + name).toURI());
    }

    private static void assertX(DMatrixRMaj m) {
        assertEquals(4, m.numRows);
        assertEquals(3, m.numCols);
        assertArrayEquals(X, m.data, 0);
    }

    @Test
    void readsDenseSparseAndObsm() throws URISyntaxException {
        assertX(AnnData.read(resource("dense.h5ad"), "X"));
        assertX(AnnData.read(resource("dense.h5ad"), null));
        assertX(AnnData.read(resource("csr.h5ad"), "X"));
        assertX(AnnData.read(resource("csc.h5ad"), "/X"));
        DMatrixRMaj pca = AnnData.read(resource("dense.h5ad"), "obsm/X_pca");
        assertEquals(4, pca.numRows);
        assertEquals(2, pca.numCols);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75}, pca.data, 0);
    }

    @Test
    void readsCategoricalStringAndOldStyleLabels() throws URISyntaxException {
        assertEquals(List.of("T", "B", "T", "NK"), AnnData.labels(resource("dense.h5ad"), "cell_type"));
        assertEquals(List.of("T", "B", "T", "NK"), AnnData.labels(resource("dense.h5ad"), "obs/cell_type"));
        assertEquals(List.of("b1", "b1", "b2", "b2"), AnnData.labels(resource("dense.h5ad"), "batch"));
        assertEquals(List.of("NK", "B", "NK", "T"), AnnData.labels(resource("csr.h5ad"), "cell_type"));
    }

    @Test
    void badFilesAndKeysNameTheKeyAndWhatWasExpected() throws URISyntaxException, IOException {
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> AnnData.read(resource("dense.h5ad"), "obsm/X_umap"));
        assertTrue(e.getMessage().contains("obsm/X_umap") && e.getMessage().contains("obsm/X_pca"), e.getMessage());
        e = assertThrows(InputFormatException.class, () -> AnnData.labels(resource("dense.h5ad"), "tissue"));
        assertTrue(e.getMessage().contains("obs/tissue") && e.getMessage().contains("obs/cell_type"), e.getMessage());
        e = assertThrows(InputFormatException.class, () -> AnnData.read(resource("dense.h5ad"), "obs"));
        assertTrue(e.getMessage().contains("not a sparse matrix"), e.getMessage());
        Path text = Files.writeString(dir.resolve("fake.h5ad"), "x,y\n1,2\n");
        assertFalse(AnnData.isHdf5(text));
        e = assertThrows(InputFormatException.class, () -> AnnData.read(text, "X"));
        assertTrue(e.getMessage().contains("fake.h5ad") && e.getMessage().contains("not an HDF5 file"),
                e.getMessage());
        assertThrows(InputFormatException.class, () -> AnnData.read(dir.resolve("missing.h5ad"), "X"));
    }
}
