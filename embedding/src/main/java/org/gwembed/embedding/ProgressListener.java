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
}
