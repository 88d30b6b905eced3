/**
 * The worked examples of the paper (Beier et al. 2025) as library code: each example takes a request record and
 * returns a result record with what its report holds — the generated inputs, the embeddings and the numbers (R² of
 * the unrolling, part-transfer accuracy, FOSCTTM, the Appendix B table, Table 1). Nothing here prints or draws; the
 * command line's {@code examples} and {@code gmm} commands write, draw and print them.
 */
package org.gwembed.examples;
