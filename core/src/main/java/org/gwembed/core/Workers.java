package org.gwembed.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker threads behind {@link Parallel} and the split BLAS calls of the solvers: a job of numbered parts runs
 * on the calling thread and a few helper threads, each claiming the next part until none is left, and the helpers
 * stay awake for a short while between jobs. A matrix–vector product of EW_λ's inner loop takes 0.2–0.5 ms and comes
 * every few tens of microseconds; handed to a {@link java.util.concurrent.ForkJoinPool} it waited for parked workers
 * to wake (three wake-ups per call), and a 2000 × 900 product ran at 33 GB/s split against 80 with OpenBLAS's own
 * spinning threads; here 68. The ForkJoinPool also lost the second worker now and then (JDK 17: in about one loop of
 * 5000 on a loaded machine every block of a loop ran on one worker while the other stayed parked). Here the caller
 * runs parts itself, and helpers that finished spin for {@link #SPIN_NANOS} before parking, so that back-to-back jobs
 * find them awake; the spin is bounded, unlike a BLAS's own idle threads, so that it does not compete with the
 * serial code between the jobs.
 *
 * <p>One job at a time: a caller that finds the helpers busy (another thread's job), or that is itself running a part
 * of one ({@link #inside}), gets false and runs its parts itself. A part that fails makes the job throw the first
 * failure, after every part has ended.
 *
 * <p><b>Internal.</b> Not part of gwembed's public API (see {@link Parallel}).
 */
public final class Workers {

    /** One part of a job. */
    @FunctionalInterface
    public interface Part {
        void run(int part);
    }

    /** How long a helper stays awake after its last part (and a caller spins before parking). */
    static final long SPIN_NANOS = 200_000;

    private static final ReentrantLock BUSY = new ReentrantLock();
    private static final Object START = new Object();
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static volatile Workers current;
    private static volatile long epoch;
    private static Thread[] helpers = new Thread[0];

    private final Part part;
    private final int parts;
    private final int helping; // helpers 0 .. helping−1 take part
    private final AtomicInteger next = new AtomicInteger(0);
    private final AtomicInteger remaining;
    private final Thread caller;
    private volatile Throwable failure;

    private Workers(Part part, int parts, int helping) {
        this.part = part;
        this.parts = parts;
        this.helping = helping;
        this.remaining = new AtomicInteger(parts);
        this.caller = Thread.currentThread();
    }

    /**
     * Whether the current thread runs a part of a job (a helper, or a caller inside its job): its own parallel loops
     * and split BLAS calls then run on it alone, the others being busy with the same job.
     */
    public static boolean inside() {
        return INSIDE.get();
    }

    /**
     * Runs {@code part.run(p)} for {@code p = 0 .. parts−1}, each exactly once, on the caller and up to
     * {@code helpersWanted} helpers; false (nothing run) when another job is in progress or the caller is
     * {@link #inside} one.
     */
    public static boolean tryRun(int parts, int helpersWanted, Part part) {
        Require.atLeast(parts, 0, "parts");
        Require.atLeast(helpersWanted, 0, "helpersWanted");
        if (INSIDE.get() || !BUSY.tryLock()) {
            return false;
        }
        INSIDE.set(true);
        try {
            ensureHelpers(helpersWanted);
            Workers job = new Workers(part, parts, helpersWanted);
            current = job;
            epoch++; // volatile write after current: a helper seeing the new epoch sees the job
            for (int i = 0; i < helpersWanted; i++) {
                LockSupport.unpark(helpers[i]);
            }
            job.runParts();
            job.awaitOthers();
            current = null;
            Throwable t = job.failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
            return true;
        } finally {
            INSIDE.set(false);
            BUSY.unlock();
        }
    }

    /** Claims parts until none is left. */
    private void runParts() {
        for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
            try {
                part.run(p);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            } finally {
                if (remaining.decrementAndGet() == 0 && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** The caller waits for the helpers' parts: spinning briefly, then parking until the last one unparks it. */
    private void awaitOthers() {
        long start = System.nanoTime();
        while (remaining.get() > 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 50_000);
            }
        }
    }

    /** Starts helpers up to {@code count} (called under the lock). */
    private static void ensureHelpers(int count) {
        if (helpers.length >= count) {
            return;
        }
        Thread[] grown = Arrays.copyOf(helpers, count);
        long before = epoch; // the epoch before the job that starts them: they take part in that job too
        for (int i = helpers.length; i < count; i++) {
            int index = i;
            Thread t = new Thread(() -> helperLoop(index, before), "gwembed-worker-" + i);
            t.setDaemon(true);
            grown[i] = t;
            t.start();
        }
        helpers = grown;
    }

    private static void helperLoop(int index, long seen) {
        INSIDE.set(true);
        while (true) {
            seen = waitForEpoch(seen);
            Workers job = current;
            if (job != null && index < job.helping) {
                job.runParts();
            }
        }
    }

    /** Spins for {@link #SPIN_NANOS} for an epoch after {@code seen}, then parks until one comes. */
    private static long waitForEpoch(long seen) {
        long start = System.nanoTime();
        while (true) {
            long e = epoch;
            if (e != seen) {
                return e;
            }
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(START);
            }
        }
    }
}
