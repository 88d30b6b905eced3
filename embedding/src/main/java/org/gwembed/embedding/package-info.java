/**
 * The EW_λ joint embedding (METHOD.md §2–§6): Algorithm 1, its result record, barycentric projection, the JMDS
 * comparator ({@link org.gwembed.embedding.JointMds} with {@link org.gwembed.embedding.Smacof} and
 * {@link org.gwembed.embedding.WassersteinProcrustes}, METHOD.md §7), alignment metrics (FOSCTTM, label transfer)
 * and validation-split model selection.
 */
package org.gwembed.embedding;
