package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {

    @TempDir
    Path dir;

    @Test
    void crlfMissingFinalNewlineAndTrimming() throws IOException {
        Path p = dir.resolve("types.txt");
        Files.writeString(p, "2\r\n 3 \r\nH1\r\nK562");
        assertEquals(List.of("2", "3", "H1", "K562"), Labels.read(p));
    }

    @Test
    void numericLabelsAreNormalised() throws IOException {
        assertEquals("1", Labels.normalize("1.000000000000000000e+00"));
        assertEquals("5", Labels.normalize(" 5.0 "));
        assertEquals("1000", Labels.normalize("1e3"));
        assertEquals("2.5", Labels.normalize("2.50"));
        assertEquals("0", Labels.normalize("-0.0"));
        assertEquals("-3", Labels.normalize("-3.00e0"));
        assertEquals("GM12878", Labels.normalize("GM12878"));
        assertEquals("1", Labels.normalize("1."));
        assertEquals("0.5", Labels.normalize("+.5"));
        assertEquals("nan", Labels.normalize("nan"));
        Path p = dir.resolve("scgem.txt");
        Files.writeString(p, "1.000000000000000000e+00\n2.000000000000000000e+00\n\n\n");
        assertEquals(List.of("1", "2"), Labels.read(p));
    }

    @Test
    void blankLineInsideTheFileIsAnError() throws IOException {
        Path p = dir.resolve("gap.txt");
        Files.writeString(p, "1\n\n2\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> Labels.read(p));
        assertTrue(e.getMessage().contains("gap.txt:2:"), e.getMessage());
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n");
        assertThrows(InputFormatException.class, () -> Labels.read(empty));
    }

    @Test
    void classesAreOrderedNumericallyWhenAllLabelsAreNumbers() {
        Labels.Classes c = Labels.toClasses(List.of("10", "2", "10", "1"));
        assertEquals(List.of("1", "2", "10"), c.names());
        assertArrayEquals(new int[] {2, 1, 2, 0}, c.indices());
        assertArrayEquals(new int[] {1, 1, 2}, c.sizes());
        Labels.Classes t = Labels.toClasses(List.of("b", "a", "10", "b"));
        assertEquals(List.of("10", "a", "b"), t.names());
        assertArrayEquals(new int[] {2, 1, 0, 2}, t.indices());
    }
}
