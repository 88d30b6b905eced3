package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MatrixMarket}: coordinate files and 10x folders, plain and gzipped, and their errors. */
class MatrixMarketTest {

    /** 3 features x 2 cells; (2, 1) listed twice, so 1 + 4 = 5. */
    private static final String MTX = "%%MatrixMarket matrix coordinate integer general\n% a comment\n3 2 4\n"
            + "1 1 7\n2 1 1\n3 2 2\n2 1 4\n";

    @TempDir
    Path dir;

    private static void gz(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsATenXFolderTransposedToCellsByFeatures() throws IOException {
        Files.writeString(dir.resolve("matrix.mtx"), MTX);
        Files.writeString(dir.resolve("barcodes.tsv"), "AAAC-1\nAAAG-1\n");
        Files.writeString(dir.resolve("features.tsv"), "G1\tgene1\tGene Expression\nG2\tgene2\tGene Expression\n"
                + "G3\tgene3\tGene Expression\n");
        MatrixMarket.TenX t = MatrixMarket.readTenX(dir);
        assertEquals(List.of("AAAC-1", "AAAG-1"), t.barcodes());
        assertEquals(List.of("G1", "G2", "G3"), t.features());
        DMatrixRMaj m = t.cellsByFeatures();
        assertEquals(2, m.numRows);
        assertEquals(3, m.numCols);
        assertArrayEquals(new double[] {7, 5, 0, 0, 0, 2}, m.data, 0);
        assertArrayEquals(m.data, FeatureMatrices.read(dir, null).data, 0);
    }

    @Test
    void readsGzippedFilesAndOldGenesTsv() throws IOException {
        gz(dir.resolve("matrix.mtx.gz"), MTX.replace("integer", "real").replace("1 1 7", "1 1 0.5e1"));
        gz(dir.resolve("barcodes.tsv.gz"), "a\nb\n");
        gz(dir.resolve("genes.tsv.gz"), "G1\tg1\nG2\tg2\nG3\tg3\n");
        assertArrayEquals(new double[] {5, 5, 0, 0, 0, 2}, MatrixMarket.readTenX(dir).cellsByFeatures().data, 0);
    }

    @Test
    void badFilesSayWhereAndWhatWasExpected() throws IOException {
        Path f = dir.resolve("m.mtx");
        Files.writeString(f, MTX.replace("coordinate", "array"));
        assertMessage(f, "expected coordinate");
        Files.writeString(f, MTX.replace("3 2 2", "4 2 2"));
        assertMessage(f, "m.mtx:6", "outside [1, 3] x [1, 2]");
        Files.writeString(f, MTX.replace("3 2 4", "3 2 5"));
        assertMessage(f, "4 entries", "says 5");
        Files.writeString(f, "x,y\n1,2\n");
        assertMessage(f, "m.mtx:1", "%%MatrixMarket");
        Files.writeString(dir.resolve("matrix.mtx"), MTX);
        Files.writeString(dir.resolve("barcodes.tsv"), "a\nb\nc\n");
        Files.writeString(dir.resolve("features.tsv"), "G1\nG2\nG3\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> MatrixMarket.readTenX(dir));
        assertTrue(e.getMessage().contains("3 barcodes") && e.getMessage().contains("2 columns"), e.getMessage());
        Files.delete(dir.resolve("barcodes.tsv"));
        e = assertThrows(InputFormatException.class, () -> MatrixMarket.readTenX(dir));
        assertTrue(e.getMessage().contains("barcodes.tsv"), e.getMessage());
    }

    private static void assertMessage(Path f, String... words) {
        InputFormatException e = assertThrows(InputFormatException.class, () -> MatrixMarket.read(f));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), e.getMessage());
        }
    }
}
