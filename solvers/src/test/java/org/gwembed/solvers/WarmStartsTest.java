package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

class WarmStartsTest {

    @Test
    void theLastSolveUnlessTheOneBeforeWasClearlyNearer() {
        WarmStarts warm = new WarmStarts();
        double[] stateA = {1, 0, 0};
        double[] stateB = {0, 1, 0};
        assertNull(warm.nearest(stateA), "nothing before the first solve");
        List<double[]> fromA = List.of(new double[] {1});
        List<double[]> fromB = List.of(new double[] {2});
        warm.solved(stateA, fromA);
        assertSame(fromA, warm.nearest(stateB), "one solve: its potentials");
        warm.solved(stateB, fromB);
        // a 2-cycle: the input is back at A, whose solve was the one before the last
        assertSame(fromA, warm.nearest(stateA.clone()));
        // converging: the input moved on, nearer to the last (B) than half the way to the one before
        assertSame(fromB, warm.nearest(new double[] {0.1, 0.9, 0}));
        // a near tie goes to the last solve: the older one must be nearer by the margin
        double[] tie = {0.45, 0.55, 0};
        assertSame(fromB, warm.nearest(tie));
    }

    @Test
    void aFailedSolvesPotentialsAreNotKeptButThoseOfPointsWithoutMassAre() {
        WarmStarts warm = new WarmStarts();
        List<double[]> good = List.of(new double[] {1, Double.NEGATIVE_INFINITY});
        warm.solved(new double[] {1, 0}, good);
        warm.solved(new double[] {0, 1}, List.of(new double[] {Double.NaN, 0}));
        assertSame(good, warm.nearest(new double[] {0, 1}), "the NaN potentials are skipped");
        warm.solved(new double[] {0, 1}, List.of(new double[] {Double.POSITIVE_INFINITY, 0}));
        assertSame(good, warm.nearest(new double[] {0, 1}), "so are +Infinity ones");
    }
}
