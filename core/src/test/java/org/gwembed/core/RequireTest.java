package org.gwembed.core;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void acceptedValuesComeBackUnchanged() {
        assertEquals(2.5, Require.positive(2.5, "x"));
        assertEquals(0.0, Require.nonNegative(0.0, "x"));
        assertEquals(3, Require.atLeast(3, 1, "k"));
        assertEquals(0.5, Require.inRange(0.5, 0, 1, "t"));
        double[] w = {0.25, 0.75};
        assertArrayEquals(w, Require.probabilityVector(w, 2, 1e-9, "w"));
    }

    @Test
    void messagesNameTheArgumentAndTheValue() {
        assertRejects("epsilon", () -> Require.positive(-1.0, "epsilon"));
        assertRejects("-1.0", () -> Require.positive(-1.0, "epsilon"));
        assertRejects("epsilon", () -> Require.positive(Double.NaN, "epsilon"));
        assertRejects("lambda", () -> Require.finite(Double.POSITIVE_INFINITY, "lambda"));
        assertRejects("threads", () -> Require.atLeast(0, 1, "threads"));
        assertRejects("options", () -> Require.nonNull(null, "options"));
        assertRejects("weights", () -> Require.finiteVector(new double[] {1, Double.NaN}, 2, "weights"));
        assertRejects("weights", () -> Require.finiteVector(new double[] {1}, 2, "weights"));
        assertRejects("w", () -> Require.probabilityVector(new double[] {0.5, 0.6}, 2, 1e-9, "w"));
    }
}
