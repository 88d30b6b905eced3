package org.gwembed.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gwembed.core.Require;
import org.gwembed.metricspaces.AtomicFiles;

/**
 * A list of independent tasks and the one function that runs each of them, on any {@link Engine}. The job's results
 * live in the {@link ResultLog} under {@code out/log}; a job run again with {@code resume} runs only the tasks that
 * have no line there yet. A {@code job.txt} beside the log names the job (method, settings, members), so that a
 * resume of a different job into the same folder is refused.
 *
 * @param <T> the task type
 */
public final class BatchJob<T extends Task> {

    private final String description;
    private final List<T> tasks;
    private final TaskFunction<T> work;

    /**
     * @param description what the job is (its settings and inputs), compared on resume
     * @param tasks       the tasks, with distinct keys
     * @param work        the function run for each
     */
    public BatchJob(String description, List<T> tasks, TaskFunction<T> work) {
        Require.nonNull(description, "description");
        Require.nonNull(tasks, "tasks");
        Require.nonNull(work, "work");
        Set<String> keys = new HashSet<>();
        for (T t : tasks) {
            if (!keys.add(t.key())) {
                throw new IllegalArgumentException("tasks must have distinct keys, got '" + t.key() + "' twice");
            }
        }
        this.description = description;
        this.tasks = List.copyOf(tasks);
        this.work = work;
    }

    /** The tasks. */
    public List<T> tasks() {
        return tasks;
    }

    /**
     * Runs the tasks not yet in {@code out}'s log on {@code engine} and returns every task's log line by key.
     *
     * @param resume continue the job found in {@code out} (without it, {@code out} must not hold a job's log)
     * @throws IllegalArgumentException when {@code out} holds another job, or a log without {@code resume}
     */
    public Outcome run(Engine engine, Path out, boolean resume, BatchListener listener) {
        Require.nonNull(engine, "engine");
        Require.nonNull(out, "out");
        Require.nonNull(listener, "listener");
        Path logDir = out.resolve("log");
        Path jobFile = out.resolve("job.txt");
        if (Files.isDirectory(logDir) && !resume) {
            throw new IllegalArgumentException("--out " + out + " holds an earlier run's log; give --resume to "
                    + "continue it, or another --out");
        }
        try {
            Files.createDirectories(out);
            if (Files.exists(jobFile)) {
                String before = Files.readString(jobFile, StandardCharsets.UTF_8);
                if (!before.equals(description)) {
                    throw new IllegalArgumentException("--resume: " + out + " holds another job (job.txt differs: "
                            + "method, settings or members changed); use another --out");
                }
            } else {
                AtomicFiles.write(jobFile, description.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jobFile + ": " + e.getMessage(), e);
        }
        ResultLog log = new ResultLog(logDir);
        Map<String, String> before = log.read();
        List<T> pending = new ArrayList<>();
        for (T t : tasks) {
            if (!before.containsKey(t.key())) {
                pending.add(t);
            }
        }
        long t0 = System.nanoTime();
        engine.run(pending, work, log, tasks.size() - pending.size(), listener);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> lines = log.read();
        List<String> missing = new ArrayList<>();
        for (T t : tasks) {
            if (!lines.containsKey(t.key())) {
                missing.add(t.key());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " tasks have no result after the run, e.g. "
                    + missing.get(0));
        }
        return new Outcome(lines, tasks.size() - pending.size(), pending.size(), seconds);
    }

    /**
     * What a run left.
     *
     * @param lines    every task's log line by key
     * @param skipped  tasks found done (resume)
     * @param ran      tasks run now
     * @param seconds  wall time of this run's tasks
     */
    public record Outcome(Map<String, String> lines, int skipped, int ran, double seconds) {
    }
}
