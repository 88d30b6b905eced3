package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code docs/python_example.py} as docs/python.md tells a user to, with this build's classes as the
 * {@code gwembed} command (skipped without /usr/bin/python3 and numpy).
 */
class PythonExampleTest {

    @TempDir
    Path dir;

    @Test
    void theDocumentedScriptRunsTheCliAndLoadsItsOutputs() throws IOException, InterruptedException {
        Path script = Path.of("..", "docs", "python_example.py").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(script), script + " missing");
        Assumptions.assumeTrue(OutputFilesTest.Python.hasNumpy(), OutputFilesTest.Python.SKIP_MESSAGE);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + Gwembed.class.getName();
        OutputFilesTest.Python.Result r = OutputFilesTest.Python.run(
                List.of(script.toString(), dir.resolve("out").toString()), dir, Map.of("GWEMBED", command), 120);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().strip().endsWith("ok"), r::toString);
        assertTrue(r.out().contains("J = "), r::toString);
    }
}
