/**
 * OT machinery (METHOD.md §3–§5, §8): kernel operators (dense, separable, FFT), the Sinkhorn family (balanced,
 * unbalanced, chain multi-marginal, log-stabilised), exact OT, Gromov–Wasserstein; dense products through
 * {@link org.gwembed.solvers.DenseBlas}.
 */
package org.gwembed.solvers;
