package org.gwembed.solvers;

/**
 * Where a data-side product of {@link PlanProducts} goes, and in which layout: {@code values} with {@code width}
 * positions per data point (data-major) or per grid point's row of {@code data} entries (grid-major), grid point k
 * at position {@code position[k]} (−1: inactive, only in compact targets). The full target is the caller's array
 * over every grid point; the compact one a block over the active points in the matrix's precision, not cleared:
 * every path either overwrites it (GEMM, the sparse loop's gather) or clears it first (the chunks add into it).
 */
record ProductTarget(Real values, int[] position, int width, boolean full) {

    static ProductTarget full(Real out, int grid) {
        int[] position = new int[grid];
        for (int k = 0; k < grid; k++) {
            position[k] = k;
        }
        return new ProductTarget(out, position, grid, true);
    }

    static ProductTarget compact(Precision precision, PlanSupport plan, Real work) {
        int[] position = new int[plan.grid];
        int a = 0;
        for (int k = 0; k < plan.grid; k++) {
            position[k] = plan.active[k] ? a++ : -1;
        }
        int size = Math.multiplyExact(plan.data, a);
        Real values;
        if (work != null && work.precision() == precision && work.length() >= size) {
            values = work;
        } else {
            values = Real.zeros(precision, size);
        }
        return new ProductTarget(values, position, a, false);
    }

    /**
     * Where a product over the plan's active grid points ({@code size} entries, in {@code precision}) is computed:
     * this target's own values when they are that block (compact, or full with every grid point active, in the same
     * precision), a fresh block otherwise.
     */
    Real compactOrWork(PlanSupport plan, Precision precision, int size) {
        boolean direct = !full || (plan.activeCount == plan.grid && values.precision() == precision);
        return direct ? values : Real.zeros(precision, size);
    }

    /**
     * Puts a product over the active grid points ({@code data × count} for data-major plans, {@code count × data}
     * otherwise), computed by {@link #compactOrWork}, into this target: nothing to do when it was computed in place,
     * else the full output is cleared and the active columns (rows) set.
     */
    void putCompact(Real product, PlanSupport plan) {
        if (product == values) {
            return;
        }
        int n = plan.data;
        int[] map = plan.activeGrid;
        int count = map.length;
        values.clear(n * plan.grid);
        // row by row of both layouts: a column-by-column walk of a data-major block touches a new cache line at every
        // entry (~50 ms for 2000 × 764 floats against ~3 ms)
        if (plan.dataMajor) {
            for (int i = 0; i < n; i++) {
                int from = i * count;
                int to = i * plan.grid;
                for (int a = 0; a < count; a++) {
                    values.set(to + map[a], product.get(from + a));
                }
            }
        } else {
            for (int a = 0; a < count; a++) {
                int from = a * n;
                int to = map[a] * n;
                for (int i = 0; i < n; i++) {
                    values.set(to + i, product.get(from + i));
                }
            }
        }
    }

    /** The active columns (data-major) or rows (grid-major) of the full double {@code out} into this compact target. */
    void gatherActive(double[] out, PlanSupport plan) {
        int n = plan.data;
        int[] map = plan.activeGrid;
        if (plan.dataMajor) {
            // row by row (see putCompact)
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < map.length; a++) {
                    values.set(i * map.length + a, out[i * plan.grid + map[a]]);
                }
            }
        } else {
            for (int a = 0; a < map.length; a++) {
                values.copyFrom(out, map[a] * n, a * n, n);
            }
        }
    }

    /** The positions of the grid points {@code points}. */
    int[] positions(int[] points) {
        int[] at = new int[points.length];
        for (int r = 0; r < points.length; r++) {
            at[r] = position[points[r]];
        }
        return at;
    }
}
