package org.gwembed.metricspaces;

import java.util.Arrays;
import java.util.List;

import org.gwembed.core.Require;

/**
 * The space is a Cartesian product of one-dimensional axes whose squared distances add up:
 * <pre>
 *   d(x, x')² = Σ_a  S_a(i_a, i'_a),
 * </pre>
 * where point {@code x} has multi-index {@code (i_0, ..., i_{m-1})} and flat index
 * {@code i = ((i_0 · n_1 + i_1) · n_2 + i_2) ...} (row-major: the last axis varies fastest), and {@code S_a} is the
 * {@code n_a × n_a} matrix of squared distances along axis {@code a}. Hence {@code exp(-d²/ε)} is the Kronecker
 * product of the per-axis kernels {@code exp(-S_a/ε)} and can be applied in {@code O(N · Σ n_a)}.
 *
 * <p>Per axis, two further facts may hold. {@link Axis#translationInvariant()}: {@code S_a(i, i')} depends only on
 * {@code i' - i} (a Toeplitz matrix; with {@link Axis#periodic()} it depends on {@code (i' - i) mod n_a}, a
 * circulant matrix). When every axis is translation invariant, so is the distance itself, and products with
 * {@code D} (not squared) can be computed by FFT convolution.
 *
 * @param axes the axes, outermost first
 */
public record GridStructure(List<Axis> axes) implements StructureHint {

    /**
     * One axis of a product space.
     *
     * @param squaredDistances    {@code n × n} squared distances along this axis, row-major (not copied on access:
     *                            do not modify)
     * @param periodic            whether the axis wraps around (circulant squared distances)
     * @param translationInvariant whether {@code squaredDistances[i][i']} depends only on {@code i' - i}
     *                            (modulo {@code n} when periodic)
     */
    public record Axis(int size, double[] squaredDistances, boolean periodic, boolean translationInvariant) {
        public Axis {
            Require.atLeast(size, 1, "axis size");
            Require.finiteVector(squaredDistances, size * size, "axis squaredDistances");
            if (periodic && !translationInvariant) {
                throw new IllegalArgumentException("a periodic axis must be translation invariant");
            }
        }

        /** The squared distance between positions {@code i} and {@code j} on this axis. */
        public double squaredDistance(int i, int j) {
            return squaredDistances[i * size + j];
        }

        Axis scaled(double factor) {
            double[] s = squaredDistances.clone();
            double f2 = factor * factor;
            for (int k = 0; k < s.length; k++) {
                s[k] *= f2;
            }
            return new Axis(size, s, periodic, translationInvariant);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Axis a && a.size == size && a.periodic == periodic
                    && a.translationInvariant == translationInvariant
                    && Arrays.equals(a.squaredDistances, squaredDistances);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(squaredDistances) + size;
        }

        @Override
        public String toString() {
            return "Axis[size=" + size + ", periodic=" + periodic + ", translationInvariant=" + translationInvariant
                    + "]";
        }
    }

    public GridStructure {
        Require.nonNull(axes, "axes");
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("axes must not be empty");
        }
        axes = List.copyOf(axes);
    }

    /** The axis sizes, outermost first. */
    public int[] shape() {
        return axes.stream().mapToInt(Axis::size).toArray();
    }

    /** The number of points, the product of the axis sizes. */
    public int size() {
        int n = 1;
        for (Axis a : axes) {
            n = Math.multiplyExact(n, a.size());
        }
        return n;
    }

    /** Whether every axis is translation invariant (so the distance depends only on per-axis offsets). */
    public boolean translationInvariant() {
        return axes.stream().allMatch(Axis::translationInvariant);
    }

    /** The squared distance between flat indices {@code i} and {@code j}, from the per-axis terms. */
    public double squaredDistance(int i, int j) {
        double s = 0;
        for (int a = axes.size() - 1; a >= 0; a--) {
            Axis axis = axes.get(a);
            int n = axis.size();
            s += axis.squaredDistance(i % n, j % n);
            i /= n;
            j /= n;
        }
        return s;
    }

    @Override
    public GridStructure scaled(double factor) {
        Require.positive(factor, "factor");
        return new GridStructure(axes.stream().map(a -> a.scaled(factor)).toList());
    }
}
