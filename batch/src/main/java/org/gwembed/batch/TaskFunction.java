package org.gwembed.batch;

import java.io.Serializable;

/**
 * The work of one task: its result as one line of the result log ({@link ResultLog}), starting with the task's key.
 * Must not throw for bad data (a bad member is a result with a reason); serialisable, since Spark ships it to the
 * executors.
 *
 * @param <T> the task type
 */
@FunctionalInterface
public interface TaskFunction<T extends Task> extends Serializable {

    /** Runs the task and returns its log line (no line break). */
    String apply(T task);
}
