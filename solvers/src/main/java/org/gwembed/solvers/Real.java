package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.core.Require;

/**
 * A dense row-major array of reals in one {@link Precision}, chosen once when it is made: the typed workspace of the
 * large arrays that are streamed over and over (the normalised kernels of {@link DenseLogKernel}, the operands and
 * work blocks of the big matrix products). As EJML generates {@code _FDRM} beside {@code _DDRM}, there are two final
 * implementations, {@link Doubles} and {@link Floats}; code written against {@code Real} runs in either without
 * testing which it has. Whatever is reported stays in double precision: reads return doubles, and the products
 * into double arrays widen their float results.
 *
 * <p>Stores into a float array round to nearest, except {@link #putScaled} and {@link #putNonNegative}, which
 * flush non-negative values below {@code Float.MIN_NORMAL} to 0 (subnormal floats make BLAS slow, and in the
 * normalised kernels such entries stand for masses far below round-off).
 */
public abstract sealed class Real permits Real.Doubles, Real.Floats {

    private Real() {
    }

    /** A zeroed array of {@code size} entries in the given precision. */
    public static Real zeros(Precision precision, int size) {
        Require.nonNull(precision, "precision");
        return precision == Precision.SINGLE ? new Floats(new float[size]) : new Doubles(new double[size]);
    }

    /** {@code values} itself (double precision), or a rounded copy (single). */
    public static Real of(double[] values, Precision precision) {
        if (precision == Precision.DOUBLE) {
            return new Doubles(values);
        }
        float[] f = new float[values.length];
        for (int t = 0; t < f.length; t++) {
            f[t] = (float) values[t];
        }
        return new Floats(f);
    }

    /** The double-precision {@code values} itself. */
    public static Real of(double[] values) {
        return new Doubles(values);
    }

    /** The already rounded {@code values} itself. */
    public static Real of(float[] values) {
        return new Floats(values);
    }

    /** The precision of the entries. */
    public abstract Precision precision();

    /** Whether the entries are floats. */
    public final boolean single() {
        return precision() == Precision.SINGLE;
    }

    /** The double-precision entries, or null in single precision (for hand-written loops over raw arrays). */
    public abstract double[] doubles();

    /** The single-precision entries, or null in double precision. */
    public abstract float[] floats();

    public abstract int length();

    /** The entries as doubles: the array itself in double precision, a widened copy in single. */
    public abstract double[] asDoubles();

    /** Sets entry {@code at} (rounded in single precision). */
    public abstract void set(int at, double value);

    /** Entry {@code at}, as a double. */
    public abstract double get(int at);

    /** Sets the first {@code length} entries to zero. */
    public abstract void clear(int length);

    /** Copies (rounding in single precision) {@code src[from ..]} into {@code length} entries from {@code at}. */
    public abstract void copyFrom(double[] src, int from, int at, int length);

    /** {@code this[at + a] = src[from + map[a]]} for {@code a < map.length} (rounded to float in single precision). */
    public abstract void gatherFrom(double[] src, int from, int[] map, int at);

    /** Copies {@code length} entries from {@code at} into {@code out[to ..]}. */
    public abstract void copyTo(int at, double[] out, int to, int length);

    /** Copies {@code length} entries from {@code at} into {@code out} (of the same precision) from {@code to}. */
    public abstract void copyTo(int at, Real out, int to, int length);

    /**
     * {@code out[to + j] += this[at + j]} for {@code j < length}; {@code out} in this precision or in double
     * precision (a float sum into a double array widens each term).
     */
    public abstract void addTo(int at, Real out, int to, int length);

    /**
     * {@code out[to + cols[r]] += this[at + r]} for every r (a compact row scattered into a wide one); {@code out}
     * as for {@link #addTo}.
     */
    public abstract void addScatteredTo(int at, Real out, int to, int[] cols);

    /**
     * {@code Σ_j this[at + j]² w[j]} over {@code from <= j < w.length}, in double precision with four running sums (so that
     * the loop does not wait on each addition), combined as {@code (s0 + s1) + (s2 + s3)}.
     */
    public abstract double weightedSquares(int at, double[] w, int from);

    /**
     * {@code this[at + j] = row[j] · scale} for {@code j < row.length}, for non-negative entries; in single precision
     * values below {@code Float.MIN_NORMAL} are stored as 0.
     */
    public abstract void putScaled(int at, double[] row, double scale);

    /** {@code this[at] = value} for a non-negative value, flushed as in {@link #putScaled}. */
    public abstract void putNonNegative(int at, double value);

    /**
     * {@code out[to + j] = this[at + j] · rowFactor · colFactor[j]} for {@code j < colFactor.length}, in double
     * precision; with {@code change} non-null also folds {@code max |new − old|} into {@code change[0]} and
     * {@code max new} into {@code change[1]}, {@code old} being {@code out}'s previous entries. Products below
     * {@code floor} are stored as 0 (a plan's subnormal entries would slow every later product with it).
     */
    public abstract void scaleRowInto(int at, double rowFactor, double[] colFactor, double[] out, int to,
            double[] change, double floor);

    /**
     * {@code y = A x} ({@code transposed}: {@code y = Aᵀ x}) for this array as a row-major {@code rows × cols}
     * matrix A, with double-precision vectors. In single precision {@code x} (non-negative) goes through
     * {@code xWork} and the product through {@code yWork}, both from {@link #vectorWork}.
     */
    public abstract void gemv(boolean transposed, int rows, int cols, double[] x, double[] y, Real xWork,
            Real yWork);

    /**
     * A scratch vector of {@code size} entries for {@link #gemv}'s single-precision passage (null in double
     * precision, which needs none).
     */
    public abstract Real vectorWork(int size);

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C} on blocks in place, as
     * {@link DenseBlas#gemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double,
     * double[], int, int)}; all three in the same precision.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Real a, int offA,
            int lda, Real b, int offB, int ldb, double beta, Real c, int offC, int ldc) {
        if (a.precision() != c.precision() || b.precision() != c.precision()) {
            throw new IllegalArgumentException("gemm needs one precision, got " + a.precision() + ", "
                    + b.precision() + " and " + c.precision());
        }
        c.gemmInto(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, offC, ldc);
    }

    /** {@code C = op(A) · op(B)} on whole row-major arrays ({@code op(A)} is {@code m × k}, C {@code m × n}). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, Real a, Real b, Real c) {
        gemm(transA, transB, m, n, k, 1.0, a, 0, Math.max(1, transA ? m : k), b, 0, Math.max(1, transB ? k : n), 0.0,
                c, 0, Math.max(1, n));
    }

    /** {@code c = op(A) · op(B)} into a double array, through a float product in single precision. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, Real a, Real b, double[] c) {
        gemm(transA, transB, m, n, k, a, b, c, null);
    }

    /**
     * As above, the float product (single precision) in {@code work} when it holds at least {@code m · n} floats
     * (a fresh block otherwise): callers repeating products of the same size keep one instead of allocating
     * megabytes per call.
     *
     * @return the single-precision block the product went through, to pass as {@code work} next time (null in
     *         double precision, where the product goes straight into {@code c})
     */
    public static Real gemm(boolean transA, boolean transB, int m, int n, int k, Real a, Real b, double[] c,
            Real work) {
        Real out = a.outputFor(c, work, (long) m * n);
        gemm(transA, transB, m, n, k, a, b, out);
        out.copyTo(0, c, 0, m * n); // a no-op copy onto itself in double precision
        return out.doubles() == c ? null : out;
    }

    /** Where a product in this precision into the double array {@code c} is computed (see gemm above). */
    abstract Real outputFor(double[] c, Real work, long size);

    abstract void gemmInto(boolean transA, boolean transB, int m, int n, int k, double alpha, Real a, int offA,
            int lda, Real b, int offB, int ldb, double beta, int offC, int ldc);

    /** Double precision. */
    public static final class Doubles extends Real {
        private final double[] d;

        private Doubles(double[] d) {
            this.d = d;
        }

        @Override
        public Precision precision() {
            return Precision.DOUBLE;
        }

        @Override
        public double[] doubles() {
            return d;
        }

        @Override
        public float[] floats() {
            return null;
        }

        @Override
        public int length() {
            return d.length;
        }

        @Override
        public double[] asDoubles() {
            return d;
        }

        @Override
        public void set(int at, double value) {
            d[at] = value;
        }

        @Override
        public double get(int at) {
            return d[at];
        }

        @Override
        public void clear(int length) {
            Arrays.fill(d, 0, length, 0.0);
        }

        @Override
        public void copyFrom(double[] src, int from, int at, int length) {
            System.arraycopy(src, from, d, at, length);
        }

        @Override
        public void gatherFrom(double[] src, int from, int[] map, int at) {
            for (int a = 0; a < map.length; a++) {
                d[at + a] = src[from + map[a]];
            }
        }

        @Override
        public void copyTo(int at, double[] out, int to, int length) {
            if (out != d || at != to) {
                System.arraycopy(d, at, out, to, length);
            }
        }

        @Override
        public void copyTo(int at, Real out, int to, int length) {
            System.arraycopy(d, at, ((Doubles) out).d, to, length);
        }

        @Override
        public void addTo(int at, Real out, int to, int length) {
            double[] od = ((Doubles) out).d;
            for (int j = 0; j < length; j++) {
                od[to + j] += d[at + j];
            }
        }

        @Override
        public void addScatteredTo(int at, Real out, int to, int[] cols) {
            double[] od = ((Doubles) out).d;
            for (int r = 0; r < cols.length; r++) {
                od[to + cols[r]] += d[at + r];
            }
        }

        @Override
        public double weightedSquares(int at, double[] w, int from) {
            int n = w.length;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = from;
            for (; j + 3 < n; j += 4) {
                double v0 = d[at + j];
                double v1 = d[at + j + 1];
                double v2 = d[at + j + 2];
                double v3 = d[at + j + 3];
                s0 += v0 * v0 * w[j];
                s1 += v1 * v1 * w[j + 1];
                s2 += v2 * v2 * w[j + 2];
                s3 += v3 * v3 * w[j + 3];
            }
            for (; j < n; j++) {
                double v = d[at + j];
                s0 += v * v * w[j];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void putScaled(int at, double[] row, double scale) {
            for (int j = 0; j < row.length; j++) {
                d[at + j] = row[j] * scale;
            }
        }

        @Override
        public void putNonNegative(int at, double value) {
            d[at] = value;
        }

        @Override
        public void scaleRowInto(int at, double rowFactor, double[] colFactor, double[] out, int to,
                double[] change, double floor) {
            int m = colFactor.length;
            if (change == null) {
                for (int j = 0; j < m; j++) {
                    double v = d[at + j] * rowFactor * colFactor[j];
                    out[to + j] = v < floor ? 0.0 : v;
                }
                return;
            }
            double diff = change[0];
            double max = change[1];
            for (int j = 0; j < m; j++) {
                double v = d[at + j] * rowFactor * colFactor[j];
                v = v < floor ? 0.0 : v;
                diff = Math.max(diff, Math.abs(v - out[to + j]));
                max = Math.max(max, v);
                out[to + j] = v;
            }
            change[0] = diff;
            change[1] = max;
        }

        @Override
        public void gemv(boolean transposed, int rows, int cols, double[] x, double[] y, Real xWork, Real yWork) {
            DenseBlas.gemv(transposed, rows, cols, d, x, y);
        }

        @Override
        public Real vectorWork(int size) {
            return null;
        }

        @Override
        Real outputFor(double[] c, Real work, long size) {
            return new Doubles(c);
        }

        @Override
        void gemmInto(boolean transA, boolean transB, int m, int n, int k, double alpha, Real a, int offA, int lda,
                Real b, int offB, int ldb, double beta, int offC, int ldc) {
            DenseBlas.gemm(transA, transB, m, n, k, alpha, a.doubles(), offA, lda, b.doubles(), offB, ldb, beta, d,
                    offC, ldc);
        }
    }

    /** Single precision (float32); sums into double arrays widen each float. */
    public static final class Floats extends Real {
        private final float[] f;

        private Floats(float[] f) {
            this.f = f;
        }

        /** A non-negative double as a float, 0 below the smallest normal float. */
        private static float flushed(double v) {
            return v < Float.MIN_NORMAL ? 0f : (float) v;
        }

        @Override
        public Precision precision() {
            return Precision.SINGLE;
        }

        @Override
        public double[] doubles() {
            return null;
        }

        @Override
        public float[] floats() {
            return f;
        }

        @Override
        public int length() {
            return f.length;
        }

        @Override
        public double[] asDoubles() {
            double[] d = new double[f.length];
            for (int t = 0; t < f.length; t++) {
                d[t] = f[t];
            }
            return d;
        }

        @Override
        public void set(int at, double value) {
            f[at] = (float) value;
        }

        @Override
        public double get(int at) {
            return f[at];
        }

        @Override
        public void clear(int length) {
            Arrays.fill(f, 0, length, 0f);
        }

        @Override
        public void copyFrom(double[] src, int from, int at, int length) {
            for (int t = 0; t < length; t++) {
                f[at + t] = (float) src[from + t];
            }
        }

        @Override
        public void gatherFrom(double[] src, int from, int[] map, int at) {
            for (int a = 0; a < map.length; a++) {
                f[at + a] = (float) src[from + map[a]];
            }
        }

        @Override
        public void copyTo(int at, double[] out, int to, int length) {
            for (int t = 0; t < length; t++) {
                out[to + t] = f[at + t];
            }
        }

        @Override
        public void copyTo(int at, Real out, int to, int length) {
            System.arraycopy(f, at, ((Floats) out).f, to, length);
        }

        @Override
        public void addTo(int at, Real out, int to, int length) {
            if (out instanceof Floats o) {
                float[] of = o.f;
                for (int j = 0; j < length; j++) {
                    of[to + j] += f[at + j];
                }
            } else {
                double[] od = out.doubles();
                for (int j = 0; j < length; j++) {
                    od[to + j] += f[at + j];
                }
            }
        }

        @Override
        public void addScatteredTo(int at, Real out, int to, int[] cols) {
            if (out instanceof Floats o) {
                float[] of = o.f;
                for (int r = 0; r < cols.length; r++) {
                    of[to + cols[r]] += f[at + r];
                }
            } else {
                double[] od = out.doubles();
                for (int r = 0; r < cols.length; r++) {
                    od[to + cols[r]] += f[at + r];
                }
            }
        }

        @Override
        public double weightedSquares(int at, double[] w, int from) {
            int n = w.length;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = from;
            for (; j + 3 < n; j += 4) {
                double v0 = f[at + j];
                double v1 = f[at + j + 1];
                double v2 = f[at + j + 2];
                double v3 = f[at + j + 3];
                s0 += v0 * v0 * w[j];
                s1 += v1 * v1 * w[j + 1];
                s2 += v2 * v2 * w[j + 2];
                s3 += v3 * v3 * w[j + 3];
            }
            for (; j < n; j++) {
                double v = f[at + j];
                s0 += v * v * w[j];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void putScaled(int at, double[] row, double scale) {
            for (int j = 0; j < row.length; j++) {
                f[at + j] = flushed(row[j] * scale);
            }
        }

        @Override
        public void putNonNegative(int at, double value) {
            f[at] = flushed(value);
        }

        @Override
        public void scaleRowInto(int at, double rowFactor, double[] colFactor, double[] out, int to,
                double[] change, double floor) {
            int m = colFactor.length;
            if (change == null) {
                for (int j = 0; j < m; j++) {
                    double v = f[at + j] * rowFactor * colFactor[j];
                    out[to + j] = v < floor ? 0.0 : v;
                }
                return;
            }
            double diff = change[0];
            double max = change[1];
            for (int j = 0; j < m; j++) {
                double v = f[at + j] * rowFactor * colFactor[j];
                v = v < floor ? 0.0 : v;
                diff = Math.max(diff, Math.abs(v - out[to + j]));
                max = Math.max(max, v);
                out[to + j] = v;
            }
            change[0] = diff;
            change[1] = max;
        }

        @Override
        public void gemv(boolean transposed, int rows, int cols, double[] x, double[] y, Real xWork, Real yWork) {
            float[] xf = ((Floats) xWork).f;
            float[] yf = ((Floats) yWork).f;
            for (int i = 0; i < x.length; i++) {
                xf[i] = flushed(x[i]);
            }
            DenseBlas.gemv(transposed, rows, cols, f, xf, yf);
            for (int j = 0; j < y.length; j++) {
                y[j] = yf[j];
            }
        }

        @Override
        public Real vectorWork(int size) {
            return new Floats(new float[size]);
        }

        @Override
        Real outputFor(double[] c, Real work, long size) {
            return work instanceof Floats w && w.f.length >= size ? w : new Floats(new float[Math.toIntExact(size)]);
        }

        @Override
        void gemmInto(boolean transA, boolean transB, int m, int n, int k, double alpha, Real a, int offA, int lda,
                Real b, int offB, int ldb, double beta, int offC, int ldc) {
            DenseBlas.gemm(transA, transB, m, n, k, (float) alpha, a.floats(), offA, lda, b.floats(), offB, ldb,
                    (float) beta, f, offC, ldc);
        }
    }
}
