package org.gwembed.cli;

import java.nio.file.Path;

import org.gwembed.core.Parallel;

import picocli.CommandLine.Option;

/** The options every {@code gwembed examples <name>} command takes (a picocli mixin). */
final class ExampleOptions {

    @Option(names = "--quick", description = "Small sizes (a few seconds; what the tests run).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: out/examples/<name>.")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    /** The output directory: {@code --out}, else {@code out/examples/<name>}. */
    Path out(String name) {
        return out != null ? out : Path.of("out", "examples", name);
    }

    /** The thread count, validated. */
    int threads() {
        if (threads == null) {
            return Parallel.defaultThreads();
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }
}
