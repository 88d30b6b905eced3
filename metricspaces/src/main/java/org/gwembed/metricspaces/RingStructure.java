package org.gwembed.metricspaces;

import org.gwembed.core.Require;

/**
 * Rotational symmetry: the points with flat indices {@code offset + r · ringSize + a} ({@code 0 <= r < rings},
 * {@code 0 <= a < ringSize}) form {@code rings} rings of equal size, and the distance between point {@code a} of
 * ring {@code r} and point {@code b} of ring {@code r'} depends only on {@code (b - a) mod ringSize}.
 * Every {@code ringSize × ringSize} block of the distance matrix between two rings is therefore circulant, and a
 * product with it can be done by FFT. Points outside the rings (for example the two poles of a sphere grid) are
 * at a distance that does not depend on the position within a ring.
 *
 * <p>Example: the sphere grid (rings = colatitudes, position = longitude, poles outside), the torus of
 * revolution (rings = tube angle, position = angle about the main axis).
 */
public record RingStructure(int offset, int rings, int ringSize) implements StructureHint {

    public RingStructure {
        Require.atLeast(offset, 0, "offset");
        Require.atLeast(rings, 1, "rings");
        Require.atLeast(ringSize, 1, "ringSize");
    }

    @Override
    public RingStructure scaled(double factor) {
        Require.positive(factor, "factor");
        return this;
    }
}
