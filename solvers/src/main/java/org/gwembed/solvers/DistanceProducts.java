package org.gwembed.solvers;

import java.util.List;

import org.gwembed.metricspaces.GridStructure;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Chooses and builds {@link DistanceProduct}s and Gibbs {@link LogKernel}s for an embedding space from its
 * structure hints (METHOD.md §5), or as forced by a {@link Choice}. The choice made is visible through
 * {@code kind()} for diagnostics.
 */
public final class DistanceProducts {

    /** Which implementation to use. */
    public enum Choice {
        /** The fastest one the space's structure allows. */
        AUTO,
        /** Always the dense matrix (materialises {@code N × N}). */
        DENSE,
        /** Separable (requires a {@link GridStructure}); for {@code D²} products and Gibbs kernels. */
        SEPARABLE,
        /** FFT convolution (requires a translation-invariant {@link GridStructure} with 1 or 2 axes); for {@code D}. */
        FFT,
        /**
         * Fourier transform along rings by dense products (requires a translation-invariant grid of 1 or 2 axes, or a
         * {@link org.gwembed.metricspaces.RingStructure}); for {@code D}.
         */
        FOURIER
    }

    private DistanceProducts() {
    }

    /**
     * A product with {@code D^power} ({@code power} 1 or 2) of the space.
     *
     * @throws IllegalArgumentException if the forced choice does not fit the space or power
     */
    public static DistanceProduct of(MetricSpace space, int power, Choice choice, int threads) {
        return of(space, power, choice, threads, Precision.DOUBLE);
    }

    /**
     * The implementation {@link #of} builds for {@code choice}: {@code choice} itself unless it is {@code AUTO}, which
     * resolves to the fastest one the space's structure allows (separable for {@code D²} on product grids; for
     * {@code D}, FFT on translation-invariant grids without native BLAS, Fourier ring products where the space has
     * rings; dense otherwise).
     */
    public static Choice resolve(MetricSpace space, int power, Choice choice) {
        Require.nonNull(space, "space");
        Require.nonNull(choice, "choice");
        if (choice != Choice.AUTO) {
            return choice;
        }
        GridStructure grid = space.hint(GridStructure.class).orElse(null);
        if (power == 2 && grid != null) {
            return Choice.SEPARABLE;
        } else if (power == 1 && FftDistanceProduct.supports(grid) && !DenseBlas.isNative()) {
            // without native BLAS the Fourier product's matrix products are slow; JTransforms' FFT is faster
            return Choice.FFT;
        } else if (power == 1 && RingFourierProduct.layout(space) != null) {
            return Choice.FOURIER;
        }
        return Choice.DENSE;
    }

    /**
     * Bytes the Gibbs kernel of {@link #gibbs} holds: nothing to speak of when separable, else the dense cost and up
     * to two normalised kernels ({@link DenseLogKernel}).
     */
    public static long gibbsBytes(MetricSpace space, Choice choice) {
        boolean separable = space.hint(GridStructure.class).isPresent() && choice != Choice.DENSE;
        long n = space.size();
        return separable ? 0 : 3 * 8L * n * n;
    }

    /**
     * As {@link #of(MetricSpace, int, Choice, int)}, the Fourier ring product running in the given precision (the
     * other products are double precision; {@link DistanceProduct#precision()} says which ran).
     */
    public static DistanceProduct of(MetricSpace space, int power, Choice choice, int threads, Precision precision) {
        Require.nonNull(precision, "precision");
        Require.nonNull(space, "space");
        Require.nonNull(choice, "choice");
        if (power != 1 && power != 2) {
            throw new IllegalArgumentException("power must be 1 or 2, got " + power);
        }
        GridStructure grid = space.hint(GridStructure.class).orElse(null);
        Choice c = resolve(space, power, choice);
        switch (c) {
            case SEPARABLE:
                if (grid == null || power != 2) {
                    throw new IllegalArgumentException("a separable product needs D^2 on a product grid, got power "
                            + power + " on " + space.description());
                }
                return new SeparableSquaredProduct(grid, threads);
            case FFT:
                if (power != 1 || !FftDistanceProduct.supports(grid)) {
                    throw new IllegalArgumentException("an FFT product needs D (power 1) on a translation-invariant grid "
                            + "of 1 or 2 axes, got power " + power + " on " + space.description());
                }
                return new FftDistanceProduct(grid, threads);
            case FOURIER:
                RingFourierProduct.Layout layout = RingFourierProduct.layout(space);
                if (power != 1 || layout == null) {
                    throw new IllegalArgumentException("a Fourier product needs D (power 1) on a translation-invariant "
                            + "grid or a space with rings, got power " + power + " on " + space.description());
                }
                return new RingFourierProduct(space, layout, precision);
            default:
                return DenseDistanceProduct.of(space, power);
        }
    }

    /**
     * The Gibbs kernel of {@code C = scale · D_X²}: separable when the space is a product grid (and the choice
     * allows), dense otherwise.
     */
    public static LogKernel gibbs(MetricSpace space, double scale, Choice choice, int threads) {
        Require.nonNull(space, "space");
        Require.positive(scale, "scale");
        GridStructure grid = space.hint(GridStructure.class).orElse(null);
        boolean separable = switch (choice) {
            case AUTO -> grid != null;
            case SEPARABLE -> {
                if (grid == null) {
                    throw new IllegalArgumentException("a separable kernel needs a product grid, got "
                            + space.description());
                }
                yield true;
            }
            case DENSE -> false;
            case FFT, FOURIER -> throw new IllegalArgumentException("Gibbs kernels have no Fourier implementation; use "
                    + "AUTO, DENSE or SEPARABLE");
        };
        if (separable) {
            return new SeparableLogKernel(grid, scale, threads);
        }
        int n = space.size();
        double[] c = space.distanceMatrix().data;
        for (int k = 0; k < c.length; k++) {
            c[k] = scale * c[k] * c[k];
        }
        return new DenseLogKernel(c, n, n, threads);
    }

    /** {@code P · D^power} with the dense matrix through BLAS. */
    static final class DenseDistanceProduct implements DistanceProduct {
        private final int n;
        private final double[] d;

        private DenseDistanceProduct(int n, double[] d) {
            this.n = n;
            this.d = d;
        }

        static DenseDistanceProduct of(MetricSpace space, int power) {
            double[] d = space.distanceMatrix().data;
            if (power == 2) {
                for (int k = 0; k < d.length; k++) {
                    d[k] *= d[k];
                }
            }
            return new DenseDistanceProduct(space.size(), d);
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public void multiplyRight(double[] p, int rows, double[] out) {
            DenseBlas.gemm(rows, n, n, 1.0, p, d, 0.0, out);
        }

        @Override
        public void multiplyLeft(double[] p, int cols, double[] out) {
            DenseBlas.gemm(n, cols, n, 1.0, d, p, 0.0, out);
        }

        @Override
        public String kind() {
            return "dense";
        }
    }

    /**
     * {@code P · D²} on a product grid: {@code D²(k, l) = Σ_a S_a(k_a, l_a)}, so
     * {@code (P D²)(r, l) = Σ_a [M_a(r, ·) S_a](l_a)} with {@code M_a(r, ·)} the marginal of row {@code r} of P on
     * axis {@code a}. Cost {@code O(rows · (N · axes + Σ n_a²))}.
     */
    static final class SeparableSquaredProduct implements DistanceProduct {
        private final GridStructure grid;
        private final int n;
        private final int[] shape;
        private final int threads;

        SeparableSquaredProduct(GridStructure grid, int threads) {
            this.grid = grid;
            this.n = grid.size();
            this.shape = grid.shape();
            this.threads = Require.atLeast(threads, 1, "threads");
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public String kind() {
            return "separable";
        }

        @Override
        public void multiplyRight(double[] p, int rows, double[] out) {
            List<GridStructure.Axis> axes = grid.axes();
            Parallel.forRange(rows, threads, (long) n * shape.length, (from, to) -> {
                double[][] marginal = new double[shape.length][];
                double[][] product = new double[shape.length][];
                for (int a = 0; a < shape.length; a++) {
                    marginal[a] = new double[shape[a]];
                    product[a] = new double[shape[a]];
                }
                for (int r = from; r < to; r++) {
                    int off = r * n;
                    for (int a = 0; a < shape.length; a++) {
                        java.util.Arrays.fill(marginal[a], 0.0);
                    }
                    for (int k = 0; k < n; k++) {
                        double v = p[off + k];
                        int rest = k;
                        for (int a = shape.length - 1; a >= 0; a--) {
                            marginal[a][rest % shape[a]] += v;
                            rest /= shape[a];
                        }
                    }
                    for (int a = 0; a < shape.length; a++) {
                        GridStructure.Axis axis = axes.get(a);
                        int na = shape[a];
                        for (int l = 0; l < na; l++) {
                            double s = 0;
                            for (int k = 0; k < na; k++) {
                                s += marginal[a][k] * axis.squaredDistance(k, l);
                            }
                            product[a][l] = s;
                        }
                    }
                    for (int l = 0; l < n; l++) {
                        double s = 0;
                        int rest = l;
                        for (int a = shape.length - 1; a >= 0; a--) {
                            s += product[a][rest % shape[a]];
                            rest /= shape[a];
                        }
                        out[off + l] = s;
                    }
                }
            });
        }
    }
}
