package org.gwembed.solvers;

/** Log-domain helpers: stable log-sum-exp and friends. Stateless. */
public final class LogOps {

    /**
     * Below this exponent {@code Math.exp} returns exactly 0 in double precision ({@code exp(−745.14) ≈ 4.9e-324}
     * is the smallest subnormal), so a term {@code exp(x)} with {@code x < }{@value} can be skipped without changing
     * any result: hot loops use this to avoid most exponentials when ε is small.
     */
    public static final double EXP_UNDERFLOW = -746.0;

    private LogOps() {
    }

    /** {@code log Σ_i exp(x_i)}, {@code −∞} when every entry is {@code −∞}; {@code +∞} if one entry is. */
    public static double logSumExp(double[] x) {
        return logSumExp(x, 0, x.length);
    }

    /** {@code log Σ exp(x_i)} over {@code x[from..to)}. */
    public static double logSumExp(double[] x, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            if (x[i] > max) {
                max = x[i];
            }
        }
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Math.exp(x[i] - max);
        }
        return max + Math.log(s);
    }

    /** Element-wise natural logarithm into a new array ({@code log 0 = −∞}). */
    public static double[] log(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.log(x[i]);
        }
        return y;
    }

    /** Element-wise exponential into a new array. */
    public static double[] exp(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(x[i]);
        }
        return y;
    }
}
