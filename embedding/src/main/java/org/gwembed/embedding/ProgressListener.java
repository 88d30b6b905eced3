package org.gwembed.embedding;

/**
 * Receives progress from long runs (the library never prints; the command line draws a progress bar from this).
 * Called on the thread that runs the solver; implementations should return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = step -> { };

    /** One outer iteration finished. */
    void outerIteration(JointEmbedding.Step step);

    /**
     * A new stage of a long job begins (e.g. one candidate of a grid search, or one row of a table); what follows
     * belongs to it. Ignored by default.
     *
     * @param description what the stage is, for a person to read
     */
    default void stage(String description) {
    }

    /**
     * Whether the run should stop: asked after each outer iteration, a {@code true} ends the run there with
     * {@link JointEmbedding.StopReason#INTERRUPTED} and the state of that iteration (e.g. on Ctrl-C). Never, by
     * default.
     */
    default boolean cancelled() {
        return false;
    }
}
