package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.core.Parallel;

/**
 * Where a transport plan between data points and grid points carries its mass, from one pass over it: the plan
 * seen as data points × grid points, stored data-major ({@code P₁}, {@code data × grid}) or grid-major ({@code P₂},
 * {@code grid × data}), its drop threshold, each data point's kept-entry count and the grid point of its largest
 * entry, and the active grid points (those with some kept entry).
 *
 * <p>At small ε the plans of EW_λ carry almost all their mass on a few grid points per data point: on the paper's
 * rolls (2000 vertices, 30×30 grid, λ 50, ε 6e-4 relative) 6–7 % of the entries are above 1e-15 of the largest after
 * 40 outer iterations, and 40 % of the grid points hold no such entry at all. Entries below {@link #DROP} times the
 * plan's largest entry change a product {@code D · P} by less than {@code n · DROP} relative, far below what any
 * stopping rule resolves; the products of {@link PlanProducts} skip them.
 */
final class PlanSupport {

    /** Relative size below which a plan entry is skipped. */
    static final double DROP = 1e-15;

    final double[] p;
    final int data;
    final int grid;
    final boolean dataMajor;
    final double drop;
    final int[] argmax;
    final int[] kept;
    final boolean[] active;
    final int activeCount;
    final int[] activeGrid; // the active grid points, in order
    final long entries;

    PlanSupport(double[] p, int data, int grid, boolean dataMajor) {
        this(p, data, grid, dataMajor, 1);
    }

    /** As above, the two passes over the plan split over {@code threads}, by data points. */
    PlanSupport(double[] p, int data, int grid, boolean dataMajor, int threads) {
        this(p, data, grid, dataMajor, threads, Double.NaN);
    }

    /**
     * As above, given the largest {@code |entry|} of the plan ({@code known}, NaN if not known): one pass over the
     * plan instead of two. EW_λ has it from the plans' change.
     */
    PlanSupport(double[] p, int data, int grid, boolean dataMajor, int threads, double known) {
        this.p = p;
        this.data = data;
        this.grid = grid;
        this.dataMajor = dataMajor;
        int inner = dataMajor ? grid : data;
        double max = Double.isNaN(known) ? largest(p, dataMajor ? data : grid, inner, threads) : known;
        double threshold = DROP * max;
        drop = threshold;
        argmax = new int[data];
        kept = new int[data];
        active = new boolean[grid];
        double[] best = new double[data];
        Arrays.fill(best, -1);
        // each task owns a range of data points (its kept, best, argmax); active is only ever set to true
        Parallel.forRange(data, threads, grid, (from, to) -> {
            for (int a = dataMajor ? from : 0; a < (dataMajor ? to : grid); a++) {
                int off = a * inner;
                for (int b = dataMajor ? 0 : from; b < (dataMajor ? grid : to); b++) {
                    double v = Math.abs(p[off + b]);
                    if (v > threshold) {
                        int i = dataMajor ? a : b;
                        int k = dataMajor ? b : a;
                        kept[i]++;
                        active[k] = true;
                        if (v > best[i]) {
                            best[i] = v;
                            argmax[i] = k;
                        }
                    }
                }
            }
        });
        long e = 0;
        for (int c : kept) {
            e += c;
        }
        entries = e;
        int count = 0;
        for (boolean f : active) {
            count += f ? 1 : 0;
        }
        activeCount = count;
        activeGrid = indices(active, count);
    }

    /** max |p| over the {@code outer × inner} entries. */
    private static double largest(double[] p, int outer, int inner, int threads) {
        double[] rowMax = new double[outer];
        Parallel.forRange(outer, threads, inner, (from, to) -> {
            for (int a = from; a < to; a++) {
                double m = 0;
                for (int b = 0; b < inner; b++) {
                    m = Math.max(m, Math.abs(p[a * inner + b]));
                }
                rowMax[a] = m;
            }
        });
        double max = 0;
        for (double m : rowMax) {
            max = Math.max(max, m);
        }
        return max;
    }

    double get(int i, int k) {
        return p[dataMajor ? i * grid + k : k * data + i];
    }

    /** Whether entry {@code t} of the stored array is kept (above the drop threshold). */
    boolean keeps(int t) {
        return Math.abs(p[t]) > drop;
    }

    /** The positions of the true flags, in order. */
    static int[] indices(boolean[] flags, int count) {
        int[] map = new int[count];
        int a = 0;
        for (int k = 0; k < flags.length; k++) {
            if (flags[k]) {
                map[a++] = k;
            }
        }
        return map;
    }
}
