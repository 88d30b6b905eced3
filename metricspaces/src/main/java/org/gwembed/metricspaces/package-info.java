/**
 * Finite metric(-measure) spaces (METHOD.md §1): the {@link org.gwembed.metricspaces.MetricSpace} seam with its
 * structure hints, validated dense spaces, the embedding spaces (plane, sphere, torus grids, 2D Gaussians,
 * circle), triangle meshes and point clouds with their geodesic distances, readers and generators.
 *
 * <p>Nothing in this package prints; invalid input is rejected with an {@link IllegalArgumentException} whose
 * message names the argument, its value and the expected shape.
 */
package org.gwembed.metricspaces;
