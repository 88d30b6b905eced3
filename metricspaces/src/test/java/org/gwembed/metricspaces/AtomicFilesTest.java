package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesWithoutLeavingTemporaryFiles() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("a.json"), names());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndDeletesItsTemporaryFile() throws IOException {
        Path f = dir.resolve("b.csv");
        Files.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals(2, names().size(), "the temporary file sits beside the target while it is written");
            assertTrue(AtomicFiles.isTemporary(names().get(0)), names().toString());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("b.csv"), names());
    }

    @Test
    void unfinishedWritesCanBeDeletedByAShutdownHook() throws IOException {
        Path f = dir.resolve("c.npy");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            out.flush();
            assertEquals(1, AtomicFiles.deleteUnfinished());
            assertEquals(List.of(), names());
            throw new IllegalStateException("interrupted");
        }));
        assertEquals(List.of(), names());
    }

    @Test
    void theTableAndMeshWritersGoThroughIt() throws IOException {
        Tables.writeCsv(dir.resolve("t.csv"), new DMatrixRMaj(new double[][] {{1, 2}}), List.of("a", "b"));
        Tables.writeNpy(dir.resolve("t.npy"), new double[] {1, 2});
        MeshWriters.write(ReaderFuzzTest.grid(), dir.resolve("m.ply"));
        assertEquals(List.of("m.ply", "t.csv", "t.npy"), names());
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Tables.writeCsv(dir.resolve("missing/t.csv"), new DMatrixRMaj(1, 1), List.of()));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
