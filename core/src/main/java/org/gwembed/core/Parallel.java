package org.gwembed.core;

import java.util.function.IntConsumer;

/**
 * Splits index ranges over worker threads, for every module's parallel loops: {@code 4 · threads} contiguous blocks,
 * claimed one after the other by the caller and {@code threads − 1} of the daemon {@link Workers}, which live as long
 * as the JVM, so callers can run many short parallel loops without creating threads. A loop inside a block of
 * another, or started while another thread's loop holds the workers, runs on its caller alone. Exceptions thrown by
 * a body reach the caller (the first one, after every block has ended).
 *
 * <p>Until issue 16 the blocks went to a {@link java.util.concurrent.ForkJoinPool}, forked and joined oldest first:
 * each join waited for the very block the other worker had just stolen, and the loops ran nearly one block at a
 * time (an exponential pass over a 2000 × 900 kernel: 6.1 ms on 2 threads, 7.3 on one, 4.0 now).
 *
 * <p><b>Internal.</b> Not part of gwembed's public API: used by its modules, it may change or move without
 * notice; applications should not call it.
 */
public final class Parallel {

    /** A body that handles the indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }


    private Parallel() {
    }

    /** The number of available processors, the default thread count. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous blocks on {@code threads} workers; inline when
     * {@code threads == 1} or the work ({@code n · costPerIndex}) is too small to pay for a hand-off.
     */
    public static void forRange(int n, int threads, long costPerIndex, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (threads <= 1 || n < 2 || (long) n * Math.max(1, costPerIndex) < 50_000) {
            body.run(0, n);
            return;
        }
        int blocks = Math.min(n, threads * 4);
        Workers.Part part = b -> body.run((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks));
        if (!Workers.tryRun(blocks, threads - 1, part)) {
            // inside another loop's block, or another thread's loop holds the workers: this thread alone
            body.run(0, n);
        }
    }

    /** Calls {@code body} for every index in {@code [0, n)} on {@code threads} workers (inline when 1). */
    public static void forEach(int n, int threads, IntConsumer body) {
        forRange(n, threads, Long.MAX_VALUE / Math.max(1, n), (from, to) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }
}
