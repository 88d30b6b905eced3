package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same command line twice gives the same bytes (issue 17, determinism): the embeddings, the plans and the
 * numbers of result.json other than the timings, with one thread and with two (a parallel reduction whose order
 * depended on scheduling would show here; at this size most loops stay below the thresholds that split them, so
 * this is a smoke test of the threaded path, not a proof). Two restarts, so the seeded perturbed start is in it.
 */
class DeterminismTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anEmbedRunRepeatsBitForBit(int threads) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        for (Path out : List.of(a, b)) {
            CliRunner.Outcome o = CliRunner.run("embed", "--source", "gen:s-curve:60", "--target",
                    "gen:swiss-roll-hole:60", "--space", "plane:6", "--outer-iterations", "2", "--restarts", "2",
                    "--save-plans", "--threads", Integer.toString(threads), "-q", "--out", out.toString());
            assertEquals(0, o.code(), o::toString);
        }
        for (String f : List.of("zeta1.csv", "zeta2.csv", "p1.npy", "p2.npy")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertEquals(withoutTimings(a.resolve("result.json")), withoutTimings(b.resolve("result.json")));
    }

    private static List<String> withoutTimings(Path json) throws IOException {
        return Files.readAllLines(json).stream().filter(l -> !l.contains("\"seconds\"") && !l.contains("\"seconds_reading\"")).toList();
    }
}
