package org.gwembed.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Splits index ranges over a fixed number of worker threads, for every module's parallel loops. One daemon
 * {@link ForkJoinPool} per thread count is kept for the life of the JVM, so callers can run many short parallel
 * loops without creating threads. Exceptions thrown by a body propagate to the caller.
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

    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger WORKERS = new AtomicInteger();

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
        ForkJoinPool pool = POOLS.computeIfAbsent(threads, t -> new ForkJoinPool(t,
                p -> {
                    var w = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                    w.setDaemon(true);
                    w.setName("gwembed-worker-" + t + "-" + WORKERS.incrementAndGet()); // pool index not yet set
                    return w;
                }, null, false));
        // Blocks 1.. are forked, block 0 runs here, then the forked ones are joined newest first: the newest is on
        // top of this worker's own queue and runs here unless stolen, while the others steal from the bottom. Joined
        // oldest first (as this was written until issue 16), each join waited for the very block the other worker
        // had just stolen, and the loops ran nearly one block at a time: 2 threads on 8 blocks took 6.1 ms where
        // one took 7.3 and this order takes 4.0 (an n × N exponential pass, 2000 × 900).
        RecursiveAction all = new RecursiveAction() {
            @Override
            protected void compute() {
                ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[blocks];
                for (int b = 1; b < blocks; b++) {
                    int from = (int) ((long) n * b / blocks);
                    int to = (int) ((long) n * (b + 1) / blocks);
                    tasks[b] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(from, to);
                        }
                    }.fork();
                }
                RuntimeException failure = null;
                try {
                    body.run(0, (int) ((long) n / blocks));
                } catch (RuntimeException e) {
                    failure = e;
                }
                for (int b = blocks - 1; b >= 1; b--) {
                    try {
                        tasks[b].join();
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        };
        pool.invoke(all);
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
