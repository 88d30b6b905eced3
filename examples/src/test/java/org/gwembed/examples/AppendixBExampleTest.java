package org.gwembed.examples;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.ProgressListener;
import org.junit.jupiter.api.Test;

class AppendixBExampleTest {

    @Test
    void eachCellKeepsTheLowerObjectiveAndTheTableHoldsTheCells() {
        AppendixBExample.Request q = new AppendixBExample.Request(36, List.of(1.0, 10.0), List.of(2.0, 20.0), 3e-3, 4,
                1, ProgressListener.NONE);
        assertEquals(2 * (2 + 2) * 4, q.totalOuterIterations(), "the smaller lambda also runs two stages");
        AppendixBExample.Result r = AppendixBExample.run(q);
        assertEquals(2, r.rows().size());
        assertTrue(r.rows().get(1).ew() > r.rows().get(0).ew(), "a more concentrated von Mises is farther away");
        DMatrixRMaj t = r.table();
        for (int i = 0; i < 2; i++) {
            AppendixBExample.Row row = r.rows().get(i);
            assertEquals(row.kappa(), t.get(i, 0));
            assertEquals(row.ew(), t.get(i, 1));
            AppendixBExample.Cell small = row.cells().get(0);
            double j = small.result().objective().total();
            assertEquals(Math.min(small.seededObjective(), small.continuationObjective()), j, 1e-12 * Math.abs(j));
            assertEquals(small.continuationObjective() < small.seededObjective() ? (Double) 20.0 : null,
                    small.continuedFrom());
            AppendixBExample.Cell largest = row.cells().get(1);
            assertNull(largest.continuationObjective());
            assertNull(largest.continuedFrom());
            assertEquals(largest.seededObjective(), largest.result().objective().total());
            for (int l = 0; l < 2; l++) {
                assertEquals(row.cells().get(l).w2SquaredZeta(), t.get(i, 2 + l));
                assertTrue(row.cells().get(l).w2SquaredZeta() >= 0);
            }
        }
    }

    @Test
    void badRequestsAreRefused() {
        assertRejects("bins", () -> new AppendixBExample.Request(3, List.of(1.0), List.of(1.0), 1e-3, 1, 1,
                ProgressListener.NONE));
        assertRejects("kappa", () -> new AppendixBExample.Request(10, List.of(-1.0), List.of(1.0), 1e-3, 1, 1,
                ProgressListener.NONE));
        assertRejects("lambdas", () -> new AppendixBExample.Request(10, List.of(1.0), List.of(), 1e-3, 1, 1,
                ProgressListener.NONE));
    }
}
