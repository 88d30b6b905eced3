package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.solvers.ChainSinkhorn;
import org.junit.jupiter.api.Test;

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
}
