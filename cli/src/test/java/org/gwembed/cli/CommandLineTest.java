package org.gwembed.cli;

import static org.gwembed.cli.CliRunner.assertBadInput;
import static org.gwembed.cli.CliRunner.assertPicture;
import static org.gwembed.cli.CliRunner.json;
import static org.gwembed.cli.CliRunner.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheCommandsAndEveryCommandHasHelp() {
        CliRunner.Outcome o = CliRunner.run("--help");
        assertEquals(0, o.code());
        for (String c : new String[] {"demo", "embed", "gw", "align", "info"}) {
            assertTrue(o.out().contains(c), o::toString);
            CliRunner.Outcome h = CliRunner.run(c, "--help");
            assertEquals(0, h.code(), h::toString);
            assertTrue(h.out().contains("--out") || c.equals("info"), h::toString);
        }
        assertTrue(CliRunner.run("embed", "--help").out().contains("--cost-scaling"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertBadInput(CliRunner.run());
        assertBadInput(CliRunner.run("frobnicate"));
        assertBadInput(CliRunner.run("embed", "--no-such-option"));
        assertBadInput(CliRunner.run("demo", "--grid", "1"));
    }

    @Test
    void demoAtATinySizeWritesItsFiles() throws IOException {
        Path out = dir.resolve("demo");
        CliRunner.Outcome o = CliRunner.run("demo", "--vertices", "60", "--grid", "10", "--outer-iterations", "2",
                "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals(50.0, number(r, "lambda"));
        assertEquals(6e-4, number(r, "parameters", "epsilon"));
        assertTrue(CliRunner.at(r, "notes", "demo_size").toString().contains("60 vertices"));
        assertTrue(Files.isRegularFile(out.resolve("zeta1.csv")) && Files.isRegularFile(out.resolve("zeta2.csv")));
        assertPicture(out.resolve("embeddings.png"));
        assertTrue(o.out().contains("J ="), o::toString);
    }

    /** {@code --version} names the library's version (the manifest's, or the build's outside a jar) and the JVM. */
    @Test
    void versionComesFromTheLibrary() {
        CliRunner.Outcome o = CliRunner.run("--version");
        org.junit.jupiter.api.Assertions.assertEquals(0, o.code(), o::toString);
        org.junit.jupiter.api.Assertions.assertTrue(o.out().startsWith("gwembed " + org.gwembed.core.Version.get()
                + System.lineSeparator() + "Java "), o::toString);
    }
}
