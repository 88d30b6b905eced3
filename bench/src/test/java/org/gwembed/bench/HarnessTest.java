package org.gwembed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.gwembed.cli.MiniJson;
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

        // the JSON's structure: every scenario's rows, the scaling series, the notes
        Map<String, Object> doc = MiniJson.object(MiniJson.parse(json));
        assertEquals(List.of("environment", "problems", "scaling", "notes"), List.copyOf(doc.keySet()));
        assertEquals("quick", MiniJson.object(doc.get("environment")).get("mode"));
        List<Object> problems = MiniJson.array(doc.get("problems"));
        Set<Object> groups = problems.stream().map(p -> MiniJson.object(p).get("group")).collect(Collectors.toSet());
        assertEquals(Set.of("rolls", "rolls-exact", "rolls-warm", "rolls-fast", "sphere", "gaussians", "gw-entropic", "gw-exact",
                "scaling-grid", "scaling-n"), groups, "one group per scenario and setting (no SNAREseq in quick mode)");
        for (Object p : problems) {
            Map<String, Object> row = MiniJson.object(p);
            assertEquals(List.of("group", "name"), List.copyOf(row.keySet()).subList(0, 2), row::toString);
        }
        List<Object> scaling = MiniJson.array(doc.get("scaling"));
        assertEquals(2, scaling.size());
        for (Object s : scaling) {
            Map<String, Object> series = MiniJson.object(s);
            assertEquals(List.of("series", "sizes", "secondsPerIteration", "exponent", "peakHeapMiB",
                    "peakHeapExponent"), List.copyOf(series.keySet()));
            assertEquals(3, MiniJson.array(series.get("sizes")).size());
            for (Object heap : MiniJson.array(series.get("peakHeapMiB"))) {
                assertTrue(((Number) heap).doubleValue() > 0, "peak heap " + heap);
            }
        }
        assertEquals(List.of("SNAREseq skipped in quick mode."), MiniJson.array(doc.get("notes")));
    }

    @Test
    void logLogSlopeRecoversAPowerLaw() {
        double[] x = {10, 20, 40, 80};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3 * Math.pow(x[i], 1.5);
        }
        assertEquals(1.5, Report.logLogSlope(x, y), 1e-12);
    }
}
