package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.List;

import org.gwembed.metricspaces.GridStructure;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.RingStructure;

/**
 * {@code P · D} for spaces whose points (all, or all but a few) form {@code R} rings of {@code M} positions with a
 * distance that depends on the rings and the position offset only: {@code d((r, a), (r', b)) = g_{rr'}(b − a)}, the
 * offset taken modulo {@code M} (circulant: sphere longitudes, torus, circle) or as an integer (Toeplitz: plane
 * grid rows). Along the positions the product is a convolution, diagonalised by the discrete Fourier transform of
 * length {@code L} ({@code M} when circulant, {@code 2M} zero-padded when Toeplitz); across rings it stays a dense
 * {@code R × R} coupling per frequency:
 * <pre>
 *   X̂_r(ω) = Σ_a P(·, r, a) e^{−iθaω},  Ĝ_{rr'}(ω) = Σ_δ g_{rr'}(δ) e^{−iθδω},  θ = 2π/L,
 *   (P D)(·, r', l) = (1/L) Σ_{ω=0}^{L/2} w_ω Re( Σ_r X̂_r(ω) Ĝ_{rr'}(ω) e^{iθlω} ),  w_ω ∈ {1, 2}.
 * </pre>
 * All three stages are dense matrix products through {@link DenseBlas}: the transform along the positions is a
 * product with the {@code M × (L/2+1)} cosine and sine matrices, which native BLAS runs far faster than a
 * scalar FFT at these lengths (tens to hundreds), and the ring coupling is one product per frequency. For a
 * {@code k × k} plane grid this costs about {@code 12 rows k³} flops against {@code 2 rows k⁴} for the dense
 * product. Points outside the rings (the sphere's poles) are handled by small dense products.
 *
 * <p>In {@link Precision#SINGLE} the stages run as {@code sgemm} on float copies of the tables and of the
 * operand (twice the speed; entries good to ~1e-6 relative), when every point is on a ring; spaces with extra
 * points keep double precision.
 */
final class RingFourierProduct implements DistanceProduct {

    private final int n;
    private final int rings;
    private final int m;
    private final int offset;
    private final int[] extras;
    private final int length;
    private final int h;
    private final double[] cosIn;   // M x h
    private final double[] sinIn;   // M x h
    private final double[] cosOut;  // h x M, weighted by w/L
    private final double[] sinOut;  // h x M, weighted by w/L
    private final double[][] specA; // per frequency: R x R, Re Ĝ
    private final double[][] specB; // per frequency: R x R, −Im Ĝ; null when Ĝ is real (even g)
    private final double[] extraColumns; // N x E: D(:, extras)
    private final double[] extraRows;    // E x (R M): D(extras, ring points)
    private final Stages stages;         // the tables of ringStages in the working precision
    private final String kind;

    /** The tables of {@link #ringStages}, in double or single precision. */
    private record Stages(Real cosIn, Real sinIn, Real cosOut, Real sinOut, Real[] specA, Real[] specB) {

        static Stages of(double[] cosIn, double[] sinIn, double[] cosOut, double[] sinOut, double[][] specA,
                double[][] specB, Precision precision) {
            Real[] a = new Real[specA.length];
            Real[] b = specB == null ? null : new Real[specB.length];
            for (int w = 0; w < a.length; w++) {
                a[w] = Real.of(specA[w], precision);
                if (b != null) {
                    b[w] = Real.of(specB[w], precision);
                }
            }
            return new Stages(Real.of(cosIn, precision), Real.of(sinIn, precision), Real.of(cosOut, precision),
                    Real.of(sinOut, precision), a, b);
        }

        Precision precision() {
            return cosIn.precision();
        }
    }

    /** The ring layout of a space, if it has one this product can use. */
    record Layout(int offset, int rings, int ringSize, boolean circulant) {
    }

    static Layout layout(MetricSpace space) {
        GridStructure grid = space.hint(GridStructure.class).orElse(null);
        if (grid != null && grid.translationInvariant() && grid.axes().size() <= 2) {
            List<GridStructure.Axis> axes = grid.axes();
            GridStructure.Axis inner = axes.get(axes.size() - 1);
            int rings = axes.size() == 2 ? axes.get(0).size() : 1;
            return new Layout(0, rings, inner.size(), inner.periodic());
        }
        RingStructure ring = space.hint(RingStructure.class).orElse(null);
        if (ring != null) {
            return new Layout(ring.offset(), ring.rings(), ring.ringSize(), true);
        }
        return null;
    }

    RingFourierProduct(MetricSpace space, Layout layout) {
        this(space, layout, Precision.DOUBLE);
    }

    RingFourierProduct(MetricSpace space, Layout layout, Precision precision) {
        n = space.size();
        rings = layout.rings();
        m = layout.ringSize();
        offset = layout.offset();
        int ringPoints = rings * m;
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i < offset || i >= offset + ringPoints) {
                other.add(i);
            }
        }
        extras = other.stream().mapToInt(Integer::intValue).toArray();
        length = layout.circulant() ? m : 2 * m;
        h = length / 2 + 1;
        double theta = 2 * Math.PI / length;
        cosIn = new double[m * h];
        sinIn = new double[m * h];
        cosOut = new double[h * m];
        sinOut = new double[h * m];
        for (int a = 0; a < m; a++) {
            for (int w = 0; w < h; w++) {
                // reduce the angle's integer part exactly before the trigonometry
                double phase = theta * ((long) a * w % length);
                double c = Math.cos(phase);
                double s = Math.sin(phase);
                cosIn[a * h + w] = c;
                sinIn[a * h + w] = s;
                double weight = (w == 0 || (length % 2 == 0 && w == length / 2)) ? 1.0 : 2.0;
                cosOut[w * m + a] = weight / length * c;
                sinOut[w * m + a] = weight / length * s;
            }
        }
        // g_{rr'}(δ) on the cyclic offsets δ ∈ [0, L), then its spectrum
        specA = new double[h][rings * rings];
        double[][] b = new double[h][rings * rings];
        double maxA = 0;
        double maxB = 0;
        double[] g = new double[length];
        for (int r = 0; r < rings; r++) {
            for (int q = 0; q < rings; q++) {
                java.util.Arrays.fill(g, 0.0);
                for (int d = 0; d < length; d++) {
                    if (layout.circulant()) {
                        g[d] = space.distance(point(r, 0), point(q, d));
                    } else if (d < m) {
                        g[d] = space.distance(point(r, 0), point(q, d));
                    } else if (d > length - m) {
                        g[d] = space.distance(point(r, length - d), point(q, 0));
                    }
                }
                for (int w = 0; w < h; w++) {
                    double sa = 0;
                    double sb = 0;
                    for (int d = 0; d < length; d++) {
                        double phase = theta * ((long) d * w % length);
                        sa += g[d] * Math.cos(phase);
                        sb += g[d] * Math.sin(phase);
                    }
                    specA[w][r * rings + q] = sa;
                    b[w][r * rings + q] = sb;
                    maxA = Math.max(maxA, Math.abs(sa));
                    maxB = Math.max(maxB, Math.abs(sb));
                }
            }
        }
        specB = maxB <= 1e-13 * Math.max(maxA, Double.MIN_NORMAL) ? null : b;
        int e = extras.length;
        extraColumns = new double[n * e];
        extraRows = new double[e * ringPoints];
        for (int t = 0; t < e; t++) {
            for (int i = 0; i < n; i++) {
                extraColumns[i * e + t] = space.distance(i, extras[t]);
            }
            for (int p = 0; p < ringPoints; p++) {
                extraRows[t * ringPoints + p] = space.distance(extras[t], offset + p);
            }
        }
        // points off the rings (e > 0) go through dense double-precision products: the stages stay double too
        Precision working = e == 0 ? precision : Precision.DOUBLE;
        stages = Stages.of(cosIn, sinIn, cosOut, sinOut, specA, specB, working);
        kind = "fourier " + rings + "x" + m + (layout.circulant() ? " circulant" : " toeplitz")
                + (e > 0 ? " +" + e : "") + (working == Precision.SINGLE ? " (single precision)" : "");
    }

    /** Work blocks of ringStages (ct, st, c2, s2, the float output), kept between products; guarded by this. */
    private Real[] work;

    private int point(int ring, int position) {
        return offset + ring * m + Math.floorMod(position, m);
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Precision precision() {
        return stages.precision();
    }

    @Override
    public void multiplyRight(double[] p, int rows, double[] out) {
        if (p.length < (long) rows * n || out.length < (long) rows * n) {
            throw new IllegalArgumentException("P must be " + rows + "x" + n + ", got " + p.length + " entries");
        }
        if (extras.length == 0) {
            // every point on a ring: the in-place stages of multiplyLeft on Pᵀ (2000 rows, 50 × 50 grid: 190 ms
            // against 235 ms for the stacked stages below)
            ringStages(Real.of(p, stages.precision()), rows, out, true);
            return;
        }
        int ringPoints = rings * m;
        int stacked = rows * rings;
        double[] x = new double[stacked * m];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(p, i * n + offset, x, i * ringPoints, ringPoints);
        }
        // 1. transform along the positions, stored frequency-major so that each frequency's (rows x R) block is
        //    contiguous: Cᵀ = cosᵀ Xᵀ, Sᵀ = sinᵀ Xᵀ, each h x (rows·R)
        double[] ct = new double[h * stacked];
        double[] st = new double[h * stacked];
        DenseBlas.gemm(true, true, h, stacked, m, 1.0, cosIn, x, 0.0, ct);
        DenseBlas.gemm(true, true, h, stacked, m, 1.0, sinIn, x, 0.0, st);
        // 2. couple the rings per frequency: C' = C A − S B, S' = S A + C B; C and S of one frequency are stacked
        //    into one (2 rows) x R block so that each frequency costs one or two products, not two or four
        double[] c2 = new double[h * stacked];
        double[] s2 = new double[h * stacked];
        double[] both = new double[2 * stacked];
        double[] bothA = new double[2 * stacked];
        double[] bothB = specB == null ? null : new double[2 * stacked];
        for (int w = 0; w < h; w++) {
            System.arraycopy(ct, w * stacked, both, 0, stacked);
            System.arraycopy(st, w * stacked, both, stacked, stacked);
            DenseBlas.gemm(2 * rows, rings, rings, 1.0, both, specA[w], 0.0, bothA);
            if (bothB == null) {
                System.arraycopy(bothA, 0, c2, w * stacked, stacked);
                System.arraycopy(bothA, stacked, s2, w * stacked, stacked);
            } else {
                DenseBlas.gemm(2 * rows, rings, rings, 1.0, both, specB[w], 0.0, bothB);
                int base = w * stacked;
                for (int k = 0; k < stacked; k++) {
                    c2[base + k] = bothA[k] - bothB[stacked + k];
                    s2[base + k] = bothA[stacked + k] + bothB[k];
                }
            }
        }
        // 3. back to positions: Y = C'ᵀ cosOut + S'ᵀ sinOut, (rows·R) x M
        double[] y = new double[stacked * m];
        DenseBlas.gemm(true, false, stacked, m, h, 1.0, c2, cosOut, 0.0, y);
        DenseBlas.gemm(true, false, stacked, m, h, 1.0, s2, sinOut, 1.0, y);
        int e = extras.length;
        double[] pe = new double[rows * e];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(y, i * ringPoints, out, i * n + offset, ringPoints);
            for (int t = 0; t < e; t++) {
                pe[i * e + t] = p[i * n + extras[t]];
            }
        }
        // 4. the points outside the rings: their columns densely, and their rows' contribution to the rings
        double[] colsOut = new double[rows * e];
        DenseBlas.gemm(rows, e, n, 1.0, p, extraColumns, 0.0, colsOut);
        double[] ringAdd = new double[rows * ringPoints];
        DenseBlas.gemm(rows, ringPoints, e, 1.0, pe, extraRows, 0.0, ringAdd);
        for (int i = 0; i < rows; i++) {
            for (int q = 0; q < ringPoints; q++) {
                out[i * n + offset + q] += ringAdd[i * ringPoints + q];
            }
            for (int t = 0; t < e; t++) {
                out[i * n + extras[t]] = colsOut[i * e + t];
            }
        }
    }

    /**
     * {@code out = D · Q} for {@code Q} ({@code N × cols}) without transposing: the same three stages with the
     * roles of rows and columns exchanged ({@code D} is symmetric, so {@code (D Q)(r', l) = Σ g_{rr'}(l − a)
     * Q(r, a)}), each ring's block of {@code Q} and of the output read and written in place. Spaces with points
     * outside the rings take the transposing default.
     */
    @Override
    public void multiplyLeft(double[] q, int cols, double[] out) {
        if (extras.length > 0) {
            DistanceProduct.super.multiplyLeft(q, cols, out);
            return;
        }
        if (q.length < (long) n * cols || out.length < (long) n * cols) {
            throw new IllegalArgumentException("Q must be " + n + "x" + cols + ", got " + q.length + " entries");
        }
        ringStages(Real.of(q, stages.precision()), cols, out, false);
    }

    /** As {@link #multiplyRight(double[], int, double[])}; a float {@code P} feeds single-precision stages as is. */
    @Override
    public void multiplyRight(Real p, int rows, double[] out) {
        if (extras.length > 0 || p.precision() != stages.precision()) {
            DistanceProduct.super.multiplyRight(p, rows, out);
            return;
        }
        checkShape(p.length(), out.length, rows);
        ringStages(p, rows, out, true);
    }

    /** As {@link #multiplyLeft(double[], int, double[])}; a float {@code Q} feeds single-precision stages as is. */
    @Override
    public void multiplyLeft(Real q, int cols, double[] out) {
        if (extras.length > 0 || q.precision() != stages.precision()) {
            DistanceProduct.super.multiplyLeft(q, cols, out);
            return;
        }
        checkShape(q.length(), out.length, cols);
        ringStages(q, cols, out, false);
    }

    private void checkShape(int in, int out, int other) {
        if (in < (long) other * n || out < (long) other * n) {
            throw new IllegalArgumentException("the matrix must hold " + other + "x" + n + " entries, got " + in
                    + " (output " + out + ")");
        }
    }

    /**
     * The three stages on ring blocks read and written in place, frequency-major in between: {@code transposed}
     * false computes {@code D · Q} for {@code Q} ({@code N × cols}); true computes {@code P · D = (D Pᵀ)ᵀ} for
     * {@code P} ({@code cols × N}), reading each ring's block of {@code P} as the transpose of {@code Q}'s.
     */
    private synchronized void ringStages(Real q, int cols, double[] result, boolean transposed) {
        Stages t = stages;
        Precision p = t.precision();
        int block = rings * cols; // one frequency: R x cols
        // every work block below is overwritten whole, so they are kept between products (on the rolls at 50 × 50,
        // 2000 rows: ~60 MB that would otherwise be allocated and zeroed twice per outer iteration); the last one
        // holds a single-precision output before it is widened into the result (none in double precision)
        if (work == null || work[0].length() < h * block) {
            work = new Real[] {Real.zeros(p, h * block), Real.zeros(p, h * block), Real.zeros(p, h * block),
                Real.zeros(p, h * block), null};
        }
        Real out = t.cosIn().outputFor(result, work[4], (long) n * cols);
        work[4] = out; // kept for the next product (in double precision it is the result itself, replaced next time)
        // 1. transform along the positions, frequency-major: C(ω, r, ·) = Σ_a cos(θaω) Q((r, a), ·)
        Real ct = work[0];
        Real st = work[1];
        for (int r = 0; r < rings; r++) {
            int at = transposed ? r * m : r * m * cols;
            int ld = transposed ? n : cols;
            Real.gemm(true, transposed, h, cols, m, 1.0, t.cosIn(), 0, h, q, at, ld, 0.0, ct, r * cols, block);
            Real.gemm(true, transposed, h, cols, m, 1.0, t.sinIn(), 0, h, q, at, ld, 0.0, st, r * cols, block);
        }
        // 2. couple the rings per frequency: C' = Aᵀ C − Bᵀ S, S' = Aᵀ S + Bᵀ C
        Real c2 = work[2];
        Real s2 = work[3];
        for (int w = 0; w < h; w++) {
            int at = w * block;
            Real a = t.specA()[w];
            Real.gemm(true, false, rings, cols, rings, 1.0, a, 0, rings, ct, at, cols, 0.0, c2, at, cols);
            Real.gemm(true, false, rings, cols, rings, 1.0, a, 0, rings, st, at, cols, 0.0, s2, at, cols);
            if (t.specB() != null) {
                Real b = t.specB()[w];
                Real.gemm(true, false, rings, cols, rings, -1.0, b, 0, rings, st, at, cols, 1.0, c2, at, cols);
                Real.gemm(true, false, rings, cols, rings, 1.0, b, 0, rings, ct, at, cols, 1.0, s2, at, cols);
            }
        }
        // 3. back to positions, ring by ring: out((r', ·), ·) = cosOutᵀ C'(·, r', ·) + sinOutᵀ S'(·, r', ·)
        //    (transposed: out(·, (r', ·)) = C'(·, r', ·)ᵀ cosOut + S'(·, r', ·)ᵀ sinOut)
        for (int r = 0; r < rings; r++) {
            if (transposed) {
                Real.gemm(true, false, cols, m, h, 1.0, c2, r * cols, block, t.cosOut(), 0, m, 0.0, out, r * m, n);
                Real.gemm(true, false, cols, m, h, 1.0, s2, r * cols, block, t.sinOut(), 0, m, 1.0, out, r * m, n);
            } else {
                Real.gemm(true, false, m, cols, h, 1.0, t.cosOut(), 0, m, c2, r * cols, block, 0.0, out,
                        r * m * cols, cols);
                Real.gemm(true, false, m, cols, h, 1.0, t.sinOut(), 0, m, s2, r * cols, block, 1.0, out,
                        r * m * cols, cols);
            }
        }
        out.copyTo(0, result, 0, n * cols); // widened in single precision, nothing to do in double
    }
}
