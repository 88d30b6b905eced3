package org.gwembed.batch;

/** Progress of a batch run, for a progress line; the library itself never prints. */
@FunctionalInterface
public interface BatchListener {

    /** A listener that ignores everything. */
    BatchListener NONE = (done, total, seconds) -> { };

    /**
     * Tasks finished so far (those of a resumed run included) out of the job's total.
     *
     * @param done    tasks finished
     * @param total   tasks in the job
     * @param seconds wall time since this run started
     */
    void progress(long done, long total, double seconds);
}
