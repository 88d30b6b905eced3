/**
 * The EW_λ joint embedding (METHOD.md §2–§6): Algorithm 1, its result record, barycentric projection, the JMDS
 * comparator, alignment metrics (FOSCTTM, label transfer) and validation-split model selection. Populated by the
 * engine and JMDS issues; nothing here yet.
 */
package org.gwembed.embedding;
