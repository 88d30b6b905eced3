package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.AtomicFiles;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code embed} as a separate process, stopped by SIGTERM (what {@code kill} sends) or SIGINT (Ctrl-C) once it is
 * iterating: it must end within the grace period with the signal's status, say so in its summary, and leave an
 * output directory of complete files only, {@code result.json} saying {@code "stopped": "interrupted"}.
 */
class InterruptTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalStopsAfterAnOuterIterationAndLeavesCompleteFilesOnly(String signal) throws Exception {
        Path out = dir.resolve("out");
        String lambdas = IntStream.rangeClosed(1, 400).mapToObj(Integer::toString).collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Gwembed.class.getName(), "embed", "--source", "gen:s-curve:150", "--target", "gen:swiss-roll:150",
                "--space", "plane:16", "--lambda", lambdas, "--outer-iterations", "1000", "--threads", "1",
                "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.environment().put("GWEMBED_PROGRESS", "1");
        Process p = pb.start();
        StringBuffer err = new StringBuffer();
        Thread reader = new Thread(() -> drain(p.getErrorStream(), err));
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!err.toString().contains(" it ") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive() && err.toString().contains(" it "), () -> "not iterating: " + err);
            // not Process.destroy(), which sends SIGTERM but also closes the streams this test reads
            Process killer;
            try {
                killer = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            } catch (IOException e) {
                Assumptions.abort("no kill command to send SIG" + signal + ": " + e.getMessage());
                return;
            }
            int kill = killer.waitFor();
            assertEquals(0, kill, "kill -" + signal);
            assertTrue(p.waitFor(Interruption.GRACE_SECONDS + 30, TimeUnit.SECONDS), "did not end: " + err);
        } finally {
            p.destroyForcibly();
        }
        reader.join(10_000);
        assertEquals(signal.equals("TERM") ? 143 : 130, p.exitValue(), err::toString);
        String stdout = Files.readString(dir.resolve("stdout.txt"));
        assertTrue(stdout.contains("interrupted: these are the results of the last completed outer iteration"),
                stdout);
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertFalse(AtomicFiles.isTemporary(f.getFileName().toString()), f + " left behind");
            }
        }
        Map<String, Object> r = CliRunner.json(out.resolve("result.json"));
        assertEquals("interrupted", CliRunner.at(r, "stopped"));
        assertEquals("INTERRUPTED", CliRunner.at(r, "stop_reason"));
        assertTrue(Double.isFinite(CliRunner.number(r, "objective", "J")));
        for (String z : List.of("zeta1.csv", "zeta2.csv")) {
            DMatrixRMaj t = Tables.read(out.resolve(z)).values();
            double sum = 0;
            for (int i = 0; i < t.numRows; i++) {
                sum += t.get(i, 2);
            }
            assertEquals(1.0, sum, 1e-6, z);
        }
        CliRunner.assertPicture(out.resolve("embeddings.png"));
    }

    private static void drain(InputStream in, StringBuffer sink) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
