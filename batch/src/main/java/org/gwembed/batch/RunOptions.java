package org.gwembed.batch;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.gwembed.core.Parallel;

import picocli.CommandLine.Option;

/** The engine and run options shared by {@code batch pairwise} and {@code batch sweep}. */
final class RunOptions {

    /** The engines. */
    enum Kind {
        local, spark
    }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "local (a thread pool in this JVM, no Spark) or spark. Default: ${DEFAULT-VALUE}.")
    Kind engine;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master: local[*], local[N], local[N,F] (F attempts per task) or a cluster URL "
                    + "(spark://host:7077, yarn, k8s://...). Default: ${DEFAULT-VALUE}.")
    String master;

    @Option(names = "--max-failures", paramLabel = "F", defaultValue = "4",
            description = "Spark: attempts per task on a cluster (spark.task.maxFailures). Default: ${DEFAULT-VALUE}.")
    int maxFailures;

    @Option(names = "--threads", paramLabel = "T",
            description = "Local engine: worker threads. Default: all processors.")
    Integer threads;

    /** What a command does on the engine: run its job, reporting to the listener. */
    @FunctionalInterface
    interface Body<R> {
        R run(Engine engine, BatchListener listener);
    }

    /**
     * Opens the engine, runs {@code body} with a progress line on {@code err} (none with {@code --quiet}) and closes
     * the engine.
     */
    <R> R run(PrintWriter err, String what, Body<R> body) {
        ProgressLine progress = new ProgressLine(err, what, System.console() != null);
        try (Engine engine = open()) {
            return body.run(engine, quiet ? BatchListener.NONE : progress);
        } finally {
            progress.finish();
        }
    }

    /** The output folder. */
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out: skip the tasks already in its log.")
    boolean resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr, only the summary line.")
    boolean quiet;

    Engine open() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("--max-failures must be >= 1, got " + maxFailures);
        }
        if (engine == Kind.spark) {
            if (threads != null) {
                throw new IllegalArgumentException("--threads is for --engine local; with spark give --master "
                        + "local[N]");
            }
            return new SparkEngine(master, maxFailures);
        }
        return new LocalEngine(threads == null ? Parallel.defaultThreads() : threads);
    }
}
