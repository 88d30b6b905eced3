package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.solvers.ChainSinkhorn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    private static JointEmbedding.Step step(int it) {
        return new JointEmbedding.Step(0, 50, it, 4, new JointEmbedding.Objective(1, 0.1, 0.2, 50), 10,
                ChainSinkhorn.StopReason.values()[0], 1e-9, 0.5, 0.1);
    }

    @Test
    void disabledWritesNothing() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), false, 4, 0);
        p.outerIteration(step(1));
        p.finish();
        assertEquals("", s.toString());
    }

    @Test
    void enabledRedrawsOneLineAndClearsIt() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), true, 4, 0);
        p.stage("EW_lambda");
        p.outerIteration(step(1));
        p.outerIteration(step(2));
        p.finish();
        String text = s.toString();
        assertTrue(text.startsWith("\r[") && text.contains(" 50% EW_lambda") && text.contains("it 2/4"), text);
        assertTrue(!text.contains("\n"), "a progress bar never ends lines: " + text);
    }

    @TempDir
    Path dir;

    @Test
    void autoDrawsOnlyWithAConsoleAndARealTerminal() {
        Map<String, String> xterm = Map.of("TERM", "xterm-256color");
        assertTrue(Progress.decide(false, Progress.Mode.AUTO, true, xterm));
        assertFalse(Progress.decide(false, Progress.Mode.AUTO, false, xterm), "no console: redirected");
        assertFalse(Progress.decide(false, Progress.Mode.AUTO, true, Map.of()), "TERM unset (cron, CI)");
        assertFalse(Progress.decide(false, Progress.Mode.AUTO, true, Map.of("TERM", "dumb")), "dumb terminal");
        assertTrue(Progress.decide(false, Progress.Mode.AUTO, false, Map.of("GWEMBED_PROGRESS", "1")),
                "the override");
        assertTrue(Progress.decide(false, Progress.Mode.ALWAYS, false, Map.of()));
        assertFalse(Progress.decide(false, Progress.Mode.NEVER, true, xterm));
        assertFalse(Progress.decide(true, Progress.Mode.ALWAYS, true, xterm), "--quiet wins");
    }

    @Test
    void theOptionDecidesWhatLandsOnStderr() {
        String[] args = {"embed", "--source", "gen:s-curve:30", "--target", "gen:s-curve:30", "--space", "plane:5",
            "--outer-iterations", "2", "--threads", "1", "--output-format", "npy"};
        CliRunner.Outcome never = CliRunner.run(concat(args, "--progress", "never", "--out",
                dir.resolve("never").toString()));
        assertEquals(0, never.code(), never::toString);
        assertFalse(never.err().contains("\r"), never::toString);
        CliRunner.Outcome bad = CliRunner.run(concat(args, "--progress", "sometimes", "--out",
                dir.resolve("bad").toString()));
        assertTrue(CliRunner.assertBadInput(bad).contains("--progress"), bad::toString);
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
