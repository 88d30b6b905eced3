package org.gwembed.batch;

import java.io.Serializable;

/** One independent unit of a {@link BatchJob}: a key that names it in the result log, and its estimated cost. */
public interface Task extends Serializable {

    /** The task's name in the result log: unique within a job, no comma, no line break. */
    String key();

    /** Estimated work in arbitrary units (the cost model of {@link Partitioning}); at least 1. */
    long cost();
}
