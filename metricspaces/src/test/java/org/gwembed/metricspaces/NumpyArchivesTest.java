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
import java.util.Objects;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by numpy.savez / savez_compressed and scipy.sparse.save_npz (npz/make_npz.py). */
class NumpyArchivesTest {

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(NumpyArchivesTest.class.getResource("/npz/" + name)).toURI());
    }

    @Test
    void denseAndSparseArchivesHoldTheTable() throws URISyntaxException {
        DMatrixRMaj expected = Tables.read(resource("features.csv")).values();
        for (String name : new String[] {"dense.npz", "dense_named.npz", "sparse_csr.npz", "sparse_csc.npz"}) {
            FeatureMatrices.Rows rows = FeatureMatrices.readRows(resource(name), null);
            assertEquals(name.startsWith("sparse"), rows.isSparse(), name);
            assertArrayEquals(expected.data, rows.toDense().data, 0.0, name);
            assertArrayEquals(expected.data, Tables.read(resource(name)).values().data, 0.0, name);
        }
        SparseRows csr = FeatureMatrices.readRows(resource("sparse_csr.npz"), null).sparse();
        assertEquals(SparseRows.fromDense(expected).storedEntries(), csr.storedEntries());
    }

    @Test
    void aDistanceMatrixArchiveIsADistanceMatrix() throws URISyntaxException {
        DenseMetricSpace a = DistanceMatrices.read(resource("distances.npz"));
        DenseMetricSpace b = DistanceMatrices.read(resource("distances.csv"));
        assertArrayEquals(b.distanceMatrix().data, a.distanceMatrix().data, 0.0);
    }

    @Test
    void severalArraysNeedAKeyAndOtherFormatsAreNamed() throws URISyntaxException, IOException {
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> FeatureMatrices.readRows(resource("several.npz"), null));
        assertTrue(e.getMessage().contains("2 arrays [a, b]"), e.getMessage());
        assertEquals(5, FeatureMatrices.readRows(resource("several.npz"), "b").rows());
        assertTrue(assertThrows(InputFormatException.class, () -> FeatureMatrices.readRows(resource("several.npz"),
                "c")).getMessage().contains("no array 'c'"));
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(resource("sparse_coo.npz")))
                .getMessage().contains("format 'coo' is not supported"));
        Path text = dir.resolve("text.npz");
        Files.writeString(text, "not a zip\n");
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(text)).getMessage()
                .contains("not a .npz archive"));
        // a truncated archive: its central directory is gone
        byte[] all = Files.readAllBytes(resource("dense.npz"));
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        InputFormatException c = assertThrows(InputFormatException.class, () -> Tables.read(cut));
        assertFalse(c.getMessage().isBlank());
    }
}
