package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a separate JVM is killed (SIGKILL: no shutdown hook, no flush but the per-line ones) after a few pairs;
 * {@code --resume} then finishes it, and the matrix equals the one the single-problem solver gives pair by pair.
 */
class KillResumeTest {

    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesToTheSameMatrix() throws Exception {
        Path in = TestCollections.write(dir.resolve("in"), 10, 60, 8);
        Path out = dir.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BatchMain.class.getName(), "pairwise", "--inputs", in.toString(), "--out", out.toString(),
                "--threads", "1", "--quiet")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // the child creates the log folder (a folder made here first would read as an earlier run's)
        while (!Files.isDirectory(out.resolve("log")) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        ResultLog log = new ResultLog(out.resolve("log"));
        while (log.countLines() < 3 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        long before = log.countLines();
        int total = new PairwiseJob(Member.scan(in, Set.of("labels.csv")), PairSpec.gw()).tasks().size();
        assertTrue(before >= 3 && before < total, "killed after " + before + " of " + total + " tasks; child log: "
                + Files.readString(dir.resolve("child.log")));

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = BatchMain.run(new PrintWriter(stdout), new PrintWriter(stderr), "pairwise", "--inputs",
                in.toString(), "--out", out.toString(), "--threads", "2", "--resume", "--quiet");
        assertEquals(0, code, stderr.toString());
        assertTrue(stdout.toString().contains("(0 bad, " + before + " resumed)"), stdout.toString());
        DMatrixRMaj resumed = Tables.readNpy(out.resolve("matrix.npy")).values();

        List<Member> members = Member.scan(in, Set.of("labels.csv"));
        PairSolver solver = new PairSolver(members, PairSpec.gw());
        int n = members.size();
        double[] expected = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = solver.solve(i, j).value();
                expected[i * n + j] = v;
                expected[j * n + i] = v;
            }
        }
        assertArrayEquals(expected, resumed.data, 0.0);
    }
}
