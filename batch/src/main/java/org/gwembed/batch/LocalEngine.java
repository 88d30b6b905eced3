package org.gwembed.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.gwembed.core.Require;

/**
 * The default engine: a fixed pool of threads in this JVM, no Spark. Tasks are started in decreasing order of
 * cost (the longest-processing-time rule of {@link Partitioning}, dynamically: a free thread takes the largest task
 * left), and each line is appended to the log the moment its task ends.
 */
public final class LocalEngine implements Engine {

    private static final long REPORT_NANOS = 1_000_000_000L;

    private final int threads;
    private final ExecutorService pool;

    /** A pool of {@code threads} workers. */
    public LocalEngine(int threads) {
        Require.atLeast(threads, 1, "threads");
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gwembed-batch");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int parallelism() {
        return threads;
    }

    @Override
    public <T extends Task> void run(List<T> tasks, TaskFunction<T> work, ResultLog log, long alreadyDone,
            BatchListener listener) {
        long start = System.nanoTime();
        long total = alreadyDone + tasks.size();
        AtomicLong done = new AtomicLong(alreadyDone);
        AtomicLong lastReport = new AtomicLong(start);
        listener.progress(alreadyDone, total, 0);
        List<T> order = new ArrayList<>(tasks);
        order.sort(Comparator.comparingLong((T t) -> -t.cost()));
        List<Future<?>> futures = new ArrayList<>();
        try (ResultLog.Writer writer = log.open("local")) {
            for (T task : order) {
                futures.add(pool.submit(() -> {
                    writer.append(work.apply(task));
                    long d = done.incrementAndGet();
                    long now = System.nanoTime();
                    long last = lastReport.get();
                    if (now - last >= REPORT_NANOS && lastReport.compareAndSet(last, now)) {
                        listener.progress(d, total, (now - start) / 1e9);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
        listener.progress(done.get(), total, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
