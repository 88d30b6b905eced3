/**
 * What every gwembed module uses and none owns: argument checks whose messages name the argument, its value and
 * the expected shape ({@link org.gwembed.core.Require}), the fixed worker pools of the parallel loops
 * ({@link org.gwembed.core.Parallel}), and the short decimal form of parameters in labels
 * ({@link org.gwembed.core.Decimals}), and the library's version ({@link org.gwembed.core.Version}). Only
 * {@code Version} is public API; {@code Require}, {@code Parallel} and {@code Decimals} are internal helpers of the
 * modules (public because Java has no module-private access without JPMS) and may change without notice. No numerics, no I/O; nothing here prints.
 */
package org.gwembed.core;
