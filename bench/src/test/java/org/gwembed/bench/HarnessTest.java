package org.gwembed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessTest {

    @Test
    void quickRunWritesMarkdownJsonAndPlot(@TempDir Path dir) throws IOException {
        Path[] files = new Harness(Harness.Mode.QUICK, dir, dir.resolve("no-shared-dir")).run();
        assertEquals(3, files.length);
        for (Path f : files) {
            assertTrue(Files.isRegularFile(f), f + " exists");
            assertTrue(Files.size(f) > 0, f + " is not empty");
        }
        String md = Files.readString(files[0]);
        assertTrue(md.contains("| blas |"), md);
        assertTrue(md.contains("rolls:"), md);
        String json = Files.readString(files[1]).strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertTrue(json.contains("\"scaling\""), json);
        byte[] png = Files.readAllBytes(files[2]);
        assertTrue(png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "PNG signature");
    }

    @Test
    void logLogSlopeRecoversAPowerLaw() {
        double[] x = {10, 20, 40, 80};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3 * Math.pow(x[i], 1.5);
        }
        assertEquals(1.5, Harness.logLogSlope(x, y), 1e-12);
        assertEquals("null", Harness.number(Double.NaN));
        assertEquals("\"a\\\"b\"", Harness.quote("a\"b"));
    }
}
