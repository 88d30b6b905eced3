package org.gwembed.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.function.Executable;

/**
 * Test fixtures every module's tests share (published as {@code gwembed-core:test-jar}): the real data in
 * {@code ../shared/data}, comparisons with named tolerances, and the check that a bad argument is rejected with a
 * message naming it.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * A file of the shared data ({@code ../shared/data/relative}, found through the system property
     * {@code gwembed.shared.dir} that surefire sets); the calling test is skipped, with a message naming the missing
     * property or file, when it is absent.
     */
    public static Path sharedData(String relative) {
        String shared = System.getProperty("gwembed.shared.dir");
        assumeTrue(shared != null, "system property gwembed.shared.dir is not set; skipping the shared-data test");
        Path p = Path.of(shared, "data").resolve(relative);
        assumeTrue(Files.isRegularFile(p), "shared data file " + p + " is absent; skipping");
        return p;
    }

    /** {@code max |u − p| / max(1, max u, max p)}: the difference of two non-negative vectors relative to their scale. */
    public static double relativeDifference(double[] u, double[] p) {
        double max = 1;
        double diff = 0;
        for (int i = 0; i < u.length; i++) {
            max = Math.max(max, Math.max(u[i], p[i]));
            diff = Math.max(diff, Math.abs(u[i] - p[i]));
        }
        return diff / max;
    }

    /** Asserts that {@code call} throws an IllegalArgumentException whose message contains {@code word}. */
    public static IllegalArgumentException assertRejects(String word, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(word),
                () -> "message should name '" + word + "': " + e.getMessage());
        return e;
    }
}
