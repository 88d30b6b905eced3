package org.gwembed.bench;

/** The problem sizes of one {@link Harness.Mode}. */
record Sizes(int rollPoints, int[] rollGrids, int rollIterations, int spherePoints, int sphereGrid,
        int sphereIterations, int gaussianK, int gaussianPoints, int gaussianIterations, boolean snareseq,
        int snareGrid, int snareIterations, int jmdsIterations, int[] gwSizes, int gwEntropicIterations,
        int scalingPoints, int[] scalingSides, int scalingGrid, int[] scalingN, int scalingIterations) {

    static Sizes of(Harness.Mode mode) {
        return switch (mode) {
            case QUICK -> new Sizes(150, new int[] {8, 10}, 2, 100, 8, 2, 4, 60, 2, false, 8, 2, 5,
                    new int[] {60, 120}, 20, 100, new int[] {5, 7, 9}, 7, new int[] {60, 100, 150}, 1);
            case DEFAULT -> new Sizes(2000, new int[] {30, 50}, 40, 900, 30, 5, 15, 300, 3, true, 20, 50, 100,
                    new int[] {500, 1000}, 100, 500, new int[] {10, 20, 30, 40}, 20,
                    new int[] {250, 500, 1000, 2000}, 3);
            case FULL -> new Sizes(2000, new int[] {30, 50}, 50, 900, 30, 10, 15, 300, 10, true, 20, 50, 100,
                    new int[] {500, 1000, 2000}, 1000, 500, new int[] {10, 20, 40, 60, 80, 100}, 20,
                    new int[] {250, 500, 1000, 2000, 4000}, 3);
            // the scaling study alone: N in {400, 900, 2500, 10 000} at n = 2000, n in {1000, ..., 8000} at 30 x 30
            case SCALING -> new Sizes(2000, new int[] {30}, 3, 900, 30, 1, 15, 300, 1, false, 20, 1, 1,
                    new int[] {500}, 1, 2000, new int[] {20, 30, 50, 100}, 30,
                    new int[] {1000, 2000, 4000, 8000}, 3);
        };
    }

    /** Untimed outer iterations that each setting runs before the rolls are timed. */
    int rollWarmupIterations() {
        return Math.min(RollsScenario.WARMUP_ITERATIONS, rollIterations);
    }
}
