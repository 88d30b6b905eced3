package org.gwembed.solvers;

import java.util.List;

import org.gwembed.core.Require;

/**
 * Where an outer loop builds one dense Gibbs kernel of a fixed shape per iteration (EW_λ's {@code K₁₂} and
 * {@code K₃₄}, {@code n × N}): it owns the cost array the caller writes into and the storage of the kernels, which
 * each new kernel takes over from the last one ({@link DenseLogKernel}'s normalised kernels, 15 MB per iteration on
 * the rolls at 30 × 30, arrays G1 allocates as humongous objects, each of which can start a concurrent cycle). A
 * kernel from {@link #next} is valid until the next call; the cost array must not be written while it is in use.
 *
 * <p>In single precision the workspace also prepares the column side of the kernel for the row potentials the
 * solve will start from or soon come to ({@link #preparation}, {@link DenseLogKernel#prepareTranspose}): there the
 * sums of a massless column, derived through the row-normalised float kernel, fall below the smallest float and
 * that direction needs a kernel of its own anyway, so building it first for the right input saves one of the
 * kernel refreshes of every outer iteration. In double precision the derived direction works and nothing is
 * prepared.
 */
public final class KernelWorkspace {

    /**
     * The row input and column maxima for preparing a kernel's columns ({@link DenseLogKernel#prepareTranspose}):
     * {@code columnMax} is filled by whoever writes the cost ({@link GromovLinearisation#writeCost}).
     */
    public record Preparation(double epsilon, double[] rowInput, double[] columnMax) {
    }

    private final int rows;
    private final int cols;
    private final int threads;
    private final Precision precision;
    private final double[] cost;
    private DenseLogKernel last;

    public KernelWorkspace(int rows, int cols, Precision precision, int threads) {
        this.rows = Require.atLeast(rows, 1, "rows");
        this.cols = Require.atLeast(cols, 1, "cols");
        this.precision = Require.nonNull(precision, "precision");
        this.threads = Require.atLeast(threads, 1, "threads");
        this.cost = new double[Math.multiplyExact(rows, cols)];
    }

    /** Bytes a workspace holds: the cost and up to two normalised kernels in the given precision. */
    public static long bytes(int rows, int cols, Precision precision) {
        return (8L + 2L * precision.bytes()) * rows * cols;
    }

    /** The {@code rows × cols} row-major array the next kernel's cost is written into. */
    public double[] cost() {
        return cost;
    }

    /**
     * What {@link #next} needs to prepare the columns of the kernel for the row potentials {@code potentials.get(0)}
     * (cost units) of a solve with {@code inner}'s ε, or null when nothing is prepared: in double precision, with
     * ε-scaling (the first levels run at larger ε), or without usable potentials (none yet, or not finite after a
     * failed solve).
     */
    public Preparation preparation(ChainSinkhorn.Options inner, List<double[]> potentials) {
        double eps = inner.epsilon();
        if (precision != Precision.SINGLE || inner.epsilonScaling() > eps || potentials == null) {
            return null;
        }
        double[] f = potentials.get(0);
        double[] w = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            w[i] = f[i] / eps;
            if (Double.isNaN(w[i]) || w[i] == Double.POSITIVE_INFINITY) {
                return null;
            }
        }
        return new Preparation(eps, w, new double[cols]);
    }

    /**
     * The kernel of the cost now in {@link #cost()}, over the storage of the last one (which is not to be used again);
     * its columns prepared when {@code preparation} is non-null.
     */
    public DenseLogKernel next(Preparation preparation) {
        DenseLogKernel k = DenseLogKernel.adopt(cost, rows, cols, threads, precision, last);
        last = k;
        if (preparation != null) {
            k.prepareTranspose(preparation.epsilon(), preparation.rowInput(), preparation.columnMax());
        }
        return k;
    }
}
