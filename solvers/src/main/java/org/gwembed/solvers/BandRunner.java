package org.gwembed.solvers;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the bands of one split BLAS call ({@link DenseBlas}) on the calling thread and a few helper threads that stay
 * awake between calls for a short while. A matrix–vector product of EW_λ's inner loop takes 0.2–0.5 ms and comes
 * every few tens of microseconds; handed to a {@link java.util.concurrent.ForkJoinPool} it waits for parked workers
 * to wake (three wake-ups per call: the submission, the second task, the caller), and a 2000 × 900 product ran at
 * 33 GB/s split against 29 as one call and 80 with OpenBLAS's own spinning threads. Here the caller runs the first
 * band itself, and helpers that finished a band spin for {@link #SPIN_NANOS} before parking, so that back-to-back
 * calls find them awake; the spin is bounded, unlike a BLAS's own idle threads, so that it does not compete with the
 * parallel loops between the products.
 *
 * <p>One split call at a time: a caller that finds the helpers busy (another thread's call) runs its call as one.
 * A band that fails makes the call throw the first failure, after every band has ended.
 */
final class BandRunner {

    /** One band of a split call. */
    @FunctionalInterface
    interface Band {
        void run(int part);
    }

    /** How long a helper stays awake after its last band (and a caller spins before yielding). */
    static final long SPIN_NANOS = 200_000;

    private static final ReentrantLock BUSY = new ReentrantLock();
    private static final Object START = new Object();
    private static volatile BandRunner current;
    private static volatile long epoch;
    private static Thread[] helpers = new Thread[0];
    private static final ThreadLocal<Boolean> HELPER = ThreadLocal.withInitial(() -> false);

    private final Band band;
    private final int parts;
    private final AtomicInteger next = new AtomicInteger(1); // part 0 is the caller's
    private final AtomicInteger remaining;
    private final Thread caller;
    private volatile Throwable failure;

    private BandRunner(Band band, int parts) {
        this.band = band;
        this.parts = parts;
        this.remaining = new AtomicInteger(parts);
        this.caller = Thread.currentThread();
    }

    /** Whether the current thread is one of the helpers (a band's own BLAS calls then run as one). */
    static boolean onHelper() {
        return HELPER.get();
    }

    /**
     * Runs {@code band.run(p)} for {@code p = 0 .. parts−1} on up to {@code helpersWanted + 1} threads; false (nothing
     * run) when another thread's split call is in progress.
     */
    static boolean tryRun(int parts, int helpersWanted, Band band) {
        if (!BUSY.tryLock()) {
            return false;
        }
        try {
            ensureHelpers(helpersWanted);
            BandRunner job = new BandRunner(band, parts);
            current = job;
            epoch++; // volatile write after current: a helper seeing the new epoch sees the job
            for (Thread h : helpers) {
                LockSupport.unpark(h);
            }
            job.runParts(0);
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
            BUSY.unlock();
        }
    }

    /** Runs part {@code first} (the caller's, or −1 for none), then claims parts until none is left. */
    private void runParts(int first) {
        if (first >= 0) {
            runOne(first);
        }
        for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
            runOne(p);
        }
    }

    private void runOne(int p) {
        try {
            band.run(p);
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

    /** The caller waits for the helpers' bands: spinning briefly, then parking until the last one unparks it. */
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
        Thread[] grown = java.util.Arrays.copyOf(helpers, count);
        for (int i = helpers.length; i < count; i++) {
            Thread t = new Thread(BandRunner::helperLoop, "gwembed-blas-" + i);
            t.setDaemon(true);
            grown[i] = t;
            t.start();
        }
        helpers = grown;
    }

    private static void helperLoop() {
        HELPER.set(true);
        long seen = epoch;
        while (true) {
            long now = waitForEpoch(seen);
            seen = now;
            BandRunner job = current;
            if (job != null) {
                job.runParts(-1);
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
