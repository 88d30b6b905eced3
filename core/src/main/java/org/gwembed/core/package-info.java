/**
 * What every gwembed module uses and none owns: argument checks whose messages name the argument, its value and
 * the expected shape ({@link org.gwembed.core.Require}), and the fixed worker pools of the parallel loops
 * ({@link org.gwembed.core.Parallel}). No numerics, no I/O; nothing here prints.
 */
package org.gwembed.core;
