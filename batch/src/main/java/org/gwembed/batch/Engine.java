package org.gwembed.batch;

import java.util.List;

/**
 * Runs the tasks of a job. Whatever the engine, each task is run by the same {@link TaskFunction} and its line is
 * appended to the {@link ResultLog} (and flushed) as soon as it is finished; the engine returns when every task has
 * a line there.
 */
public interface Engine extends AutoCloseable {

    /** The engine's name in reports ({@code local} or {@code spark}). */
    String name();

    /** Workers running at once (threads, or Spark's default parallelism). */
    int parallelism();

    /**
     * Runs {@code tasks} through {@code work}, appending each line to {@code log}.
     *
     * @param alreadyDone tasks of the job finished before (a resumed run), for the progress count
     * @param listener    told of the progress, at most about once a second and at the end
     */
    <T extends Task> void run(List<T> tasks, TaskFunction<T> work, ResultLog log, long alreadyDone,
            BatchListener listener);

    /** Releases the engine's threads or Spark context. */
    @Override
    void close();
}
