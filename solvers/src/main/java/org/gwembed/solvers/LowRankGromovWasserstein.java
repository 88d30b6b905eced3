package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Low-rank Gromov–Wasserstein with the square loss (Scetbon, Cuturi, Peyré, ICML 2022, "Linear-Time
 * Gromov Wasserstein Distances using Low Rank Couplings and Costs"): the coupling is restricted to
 * {@code P = Q diag(1/g) Rᵀ} with {@code Q} ({@code n × r}), {@code R} ({@code m × r}), {@code g} ({@code r}),
 * {@code Q1 = p}, {@code R1 = q}, {@code Qᵀ1 = Rᵀ1 = g ≥ α}, and
 * <pre>
 *   GW(P) = Σ_{i,i',j,j'} (A_ii' − B_jj')² P_ij P_i'j'        (no ½, as {@link GromovWasserstein})
 * </pre>
 * is decreased by mirror descent (the paper's Algorithm 3, POT ≥ 0.9 {@code lowrank_gromov_wasserstein_samples}):
 * with {@code C = −4 A P B} (the gradient of GW on the feasible set, where the marginal terms are constant),
 * <pre>
 *   ∇_Q = C R diag(1/g),  ∇_R = Cᵀ Q diag(1/g),  ω = diag(Qᵀ C R),  ∇_g = −ω / g²
 *   K₁ = exp(−γ∇_Q − (γε − 1) log Q),  K₂ = … R …,  K₃ = exp(γ ω/g² − (γε − 1) log g)
 * </pre>
 * then {@code (Q, R, g)} = the KL projection of {@code (K₁, K₂, K₃)} onto the constraints by LR-Dykstra (the paper's
 * Algorithm 2). The step {@code γ} is fixed, or (default, POT's {@code gamma_init="rescale"}) {@code γ₀ / max(‖∇_Q +
 * ε log Q‖²_∞, ‖∇_R + ε log R‖²_∞, ‖ω/g²‖²_∞)} at each iteration with {@code γ₀ = 10}. The run stops when
 * {@code γ⁻² (KL(Q|Q') + KL(Q'|Q) + the same for R and g) ≤} the tolerance (POT's criterion). The kernels are
 * POT's plain exponentials while their logarithms lie in [−700, 700]; beyond (a huge fixed step, huge costs) each is
 * shifted in the log domain (rows and columns of {@code K₁}, {@code K₂} by their maxima, {@code K₃} by its maximum).
 * Such scalings are absorbed by Dykstra's scaling vectors (and by {@code Σg = 1} for {@code K₃}), so the exact
 * projection is unchanged, though Dykstra stopped at its tolerance lands slightly elsewhere; no exponential
 * overflows.
 *
 * <p>Only products of the cost matrices with thin ({@code n × r}) matrices are used: through a {@link Space}, which
 * for a point cloud is the exact rank-{@code d+2} factorisation of its squared Euclidean distances
 * {@code D = ‖x‖²1ᵀ + 1‖x‖²ᵀ − 2XXᵀ} ({@link #pointCloud}), so time and memory are linear in {@code n + m}; a dense
 * matrix ({@link #dense}) is also accepted for small problems. {@link Result#distance()} is GW at the returned
 * plan, formed from the plan's own marginals {@code p̂ = P1}, {@code q̂ = Pᵀ1} in linear memory:
 * {@code p̂ᵀ(A∘A)p̂ + q̂ᵀ(B∘B)q̂ − 2 tr((QᵀAQ) G (RᵀBR) G)}, {@code G = diag(1/g)}, clamped at 0 against round-off.
 * A local method from a random start (seeded); non-convergence is reported in the result, never thrown.
 */
public final class LowRankGromovWasserstein {

    /** Log-kernel entries beyond this in absolute value switch to the shifted exponential. */
    static final double SAFE_EXPONENT = 700;

    private LowRankGromovWasserstein() {
    }

    /** A symmetric cost matrix seen only through thin products. */
    public interface Space {
        /** Its size {@code n}. */
        int size();

        /** {@code out = A x} for a row-major {@code n × k} matrix {@code x}; {@code out} is {@code n × k}. */
        void multiply(double[] x, int k, double[] out);

        /** {@code wᵀ (A∘A) w}. */
        double squaredQuadratic(double[] w);

        /** What it is, for reports. */
        String description();
    }

    /**
     * The squared Euclidean distances {@code scale · ‖x_i − x_i'‖²} of the rows of {@code points} ({@code n × d}),
     * as the exact factorisation {@code U Vᵀ} with {@code U = scale [‖x‖², 1, −2X]}, {@code V = [1, ‖x‖², X]} of
     * the centred points ({@code n (d + 2)} numbers; no {@code n × n} matrix).
     */
    public static Space pointCloud(DMatrixRMaj points, double scale) {
        Require.nonNull(points, "points");
        Require.positive(scale, "scale");
        if (Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite, got " + scale);
        }
        int n = points.numRows;
        int d = points.numCols;
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("points must be n x d with n >= 1 and d >= 1, got " + n + "x" + d);
        }
        for (int t = 0; t < points.data.length && t < n * d; t++) {
            if (!Double.isFinite(points.data[t])) {
                throw new IllegalArgumentException("points[" + (t / d) + "," + (t % d) + "] must be finite, got "
                        + points.data[t]);
            }
        }
        return new FactoredSpace(points, scale);
    }

    /** The largest squared Euclidean distance between rows of {@code points} (O(n² d) time, O(1) memory). */
    public static double maxSquaredDistance(DMatrixRMaj points) {
        Require.nonNull(points, "points");
        int n = points.numRows;
        int d = points.numCols;
        double[] x = points.data;
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int f = 0; f < d; f++) {
                    double diff = x[i * d + f] - x[j * d + f];
                    s += diff * diff;
                }
                max = Math.max(max, s);
            }
        }
        return max;
    }

    /** A dense symmetric matrix ({@code n × n}, finite), used as given by dense products (small {@code n}). */
    public static Space dense(DMatrixRMaj matrix, String name) {
        double[] a = GromovWasserstein.squareData(matrix, name);
        int n = matrix.numRows;
        for (int t = 0; t < a.length; t++) {
            if (!Double.isFinite(a[t])) {
                throw new IllegalArgumentException(name + "[" + (t / n) + "," + (t % n) + "] must be finite, got "
                        + a[t]);
            }
        }
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > GromovWasserstein.SYMMETRY_TOLERANCE * max) {
                    throw new IllegalArgumentException(name + " must be symmetric (n x n), but " + name + "[" + i
                            + "," + j + "] = " + a[i * n + j] + " and " + name + "[" + j + "," + i + "] = "
                            + a[j * n + i]);
                }
            }
        }
        return new DenseSpace(a.clone(), n);
    }

    /**
     * Settings.
     *
     * @param rank                 the rank {@code r} of the coupling, {@code 1 ≤ r ≤ min(n, m)}
     * @param epsilon              entropic regularisation {@code ε ≥ 0} of the mirror step (POT's {@code reg}, 0)
     * @param gamma                the step {@code γ} (fixed) or {@code γ₀} of the rescaled step (POT: 10)
     * @param rescaleGamma         whether {@code γ = gamma / max‖∇‖²_∞} at each iteration (POT's "rescale")
     * @param lowerBound           {@code α}, the lower bound on {@code g}, {@code 0 < α < 1/r} (POT: 1e-10)
     * @param maxIterations        mirror-descent iteration limit (POT: 1000)
     * @param tolerance            stop when the scaled symmetric KL change {@code ≤} this (POT: 1e-4)
     * @param dykstraMaxIterations LR-Dykstra iteration limit per projection (POT: 2000)
     * @param dykstraTolerance     LR-Dykstra stops when {@code ‖Q1 − p‖₁ + ‖R1 − q‖₁ ≤} this (POT: 1e-7)
     * @param seed                 seed of the random start (POT: 49, a different generator)
     */
    public record Options(int rank, double epsilon, double gamma, boolean rescaleGamma, double lowerBound,
            int maxIterations, double tolerance, int dykstraMaxIterations, double dykstraTolerance, long seed) {
        /** Validates every field. */
        public Options {
            Require.atLeast(rank, 1, "rank");
            Require.nonNegative(epsilon, "epsilon");
            Require.finite(epsilon, "epsilon");
            Require.positive(gamma, "gamma");
            Require.finite(gamma, "gamma");
            Require.positive(lowerBound, "lowerBound");
            if (!(lowerBound < 1.0 / rank)) {
                throw new IllegalArgumentException("lowerBound must be < 1/rank = " + (1.0 / rank) + " (rank "
                        + rank + "), got " + lowerBound);
            }
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.positive(tolerance, "tolerance");
            Require.atLeast(dykstraMaxIterations, 1, "dykstraMaxIterations");
            Require.positive(dykstraTolerance, "dykstraTolerance");
        }

        /** POT's defaults at the given rank (ε = 0, rescaled γ₀ = 10, α = 1e-10, 1000 / 1e-4, 2000 / 1e-7, 49). */
        public static Options defaults(int rank) {
            Builder b = new Builder();
            b.rank = rank;
            return b.build();
        }

        /** A copy with another rank. */
        public Options withRank(int value) {
            return with(b -> b.rank = value);
        }

        /** A copy with another ε. */
        public Options withEpsilon(double value) {
            return with(b -> b.epsilon = value);
        }

        /** A copy with a fixed step γ. */
        public Options withFixedGamma(double value) {
            return with(b -> {
                b.gamma = value;
                b.rescaleGamma = false;
            });
        }

        /** A copy with the rescaled step {@code γ₀ / max‖∇‖²_∞}. */
        public Options withRescaledGamma(double value) {
            return with(b -> {
                b.gamma = value;
                b.rescaleGamma = true;
            });
        }

        /** A copy with another lower bound α on g. */
        public Options withLowerBound(double value) {
            return with(b -> b.lowerBound = value);
        }

        /** A copy with another iteration limit. */
        public Options withMaxIterations(int value) {
            return with(b -> b.maxIterations = value);
        }

        /** A copy with another tolerance. */
        public Options withTolerance(double value) {
            return with(b -> b.tolerance = value);
        }

        /** A copy with another Dykstra iteration limit. */
        public Options withDykstraMaxIterations(int value) {
            return with(b -> b.dykstraMaxIterations = value);
        }

        /** A copy with another Dykstra tolerance. */
        public Options withDykstraTolerance(double value) {
            return with(b -> b.dykstraTolerance = value);
        }

        /** A copy with another seed. */
        public Options withSeed(long value) {
            return with(b -> b.seed = value);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}' (rank excepted). */
        private static final class Builder {
            int rank = 0;
            double epsilon = 0;
            double gamma = 10;
            boolean rescaleGamma = true;
            double lowerBound = 1e-10;
            int maxIterations = 1000;
            double tolerance = 1e-4;
            int dykstraMaxIterations = 2000;
            double dykstraTolerance = 1e-7;
            long seed = 49;

            Builder() {
            }

            Builder(Options o) {
                rank = o.rank;
                epsilon = o.epsilon;
                gamma = o.gamma;
                rescaleGamma = o.rescaleGamma;
                lowerBound = o.lowerBound;
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                dykstraMaxIterations = o.dykstraMaxIterations;
                dykstraTolerance = o.dykstraTolerance;
                seed = o.seed;
            }

            Options build() {
                return new Options(rank, epsilon, gamma, rescaleGamma, lowerBound, maxIterations, tolerance,
                        dykstraMaxIterations, dykstraTolerance, seed);
            }
        }
    }

    /**
     * A start {@code (Q, R, g)}: row-major {@code Q} ({@code n × r}), {@code R} ({@code m × r}), {@code g}, all
     * entries {@code > 0} and finite. It need not be feasible (the first projection makes it so).
     */
    public record Factors(double[] q, double[] r, double[] g) {
    }

    /**
     * The outcome.
     *
     * @param distance        GW at the returned plan (see the class comment)
     * @param q               {@code Q}, row-major {@code rows × rank}
     * @param r               {@code R}, row-major {@code cols × rank}
     * @param g               {@code g}
     * @param rows            {@code n}
     * @param cols            {@code m}
     * @param rank            {@code r}
     * @param iterations      mirror-descent iterations run
     * @param stopReason      {@code PLAN_CHANGE}, {@code MAX_ITERATIONS} or {@code NUMERICAL_FAILURE} (then the
     *                        factors are the last finite ones)
     * @param marginalError   {@code ‖P1 − p‖₁ + ‖Pᵀ1 − q‖₁}
     * @param log             one entry per iteration: GW at the factors the step started from, the KL change,
     *                        the step γ, Dykstra iterations
     * @param innerIterations total Dykstra iterations
     * @param innerFailures   projections that ended at Dykstra's iteration limit
     */
    public record Result(double distance, double[] q, double[] r, double[] g, int rows, int cols, int rank,
            int iterations, GromovWasserstein.StopReason stopReason, double marginalError,
            List<GromovWasserstein.Step> log, long innerIterations, int innerFailures) {

        /** Whether the tolerance (not the iteration limit or a failure) ended the run. */
        public boolean converged() {
            return stopReason == GromovWasserstein.StopReason.PLAN_CHANGE;
        }

        /** The plan entry {@code P_ik = Σ_l Q_il R_kl / g_l}. */
        public double plan(int i, int k) {
            double s = 0;
            for (int l = 0; l < rank; l++) {
                s += q[i * rank + l] * r[k * rank + l] / g[l];
            }
            return s;
        }

        /** The plan as a dense {@code rows × cols} matrix (for small problems only). */
        public DMatrixRMaj planMatrix() {
            if ((long) rows * cols > 50_000_000L) {
                throw new IllegalArgumentException("the plan is " + rows + "x" + cols + ": too large to form "
                        + "densely (expected at most 5e7 entries); use plan(i, k) or the factors");
            }
            DMatrixRMaj p = new DMatrixRMaj(rows, cols);
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < cols; k++) {
                    p.data[i * cols + k] = plan(i, k);
                }
            }
            return p;
        }

        /** {@code P1}. */
        public double[] rowSums() {
            return marginal(q, r, g, rows, cols, rank);
        }

        /** {@code Pᵀ1}. */
        public double[] columnSums() {
            return marginal(r, q, g, cols, rows, rank);
        }
    }

    /** Low-rank GW from the options' seeded random start (POT's "random" initialisation). */
    public static Result solve(Space x, double[] p, Space y, double[] q, Options options) {
        Require.nonNull(options, "options");
        Require.nonNull(x, "x");
        Require.nonNull(y, "y");
        return solve(x, p, y, q, options, randomStart(x.size(), y.size(), options.rank(), p, q, options.seed()));
    }

    /** Low-rank GW from the given start. */
    public static Result solve(Space x, double[] p, Space y, double[] q, Options options, Factors start) {
        Require.nonNull(options, "options");
        Require.nonNull(x, "x");
        Require.nonNull(y, "y");
        int n = x.size();
        int m = y.size();
        int r = options.rank();
        positiveWeights(p, n, "p");
        positiveWeights(q, m, "q");
        double sp = sum(p);
        double sq = sum(q);
        if (Math.abs(sp - sq) > GromovWasserstein.MASS_TOLERANCE * Math.max(sp, sq)) {
            throw new IllegalArgumentException("p and q must have the same mass, got " + sp + " and " + sq);
        }
        if (r > Math.min(n, m)) {
            throw new IllegalArgumentException("rank must be <= min(n, m) = " + Math.min(n, m) + " (n = " + n
                    + ", m = " + m + "), got " + r);
        }
        Require.nonNull(start, "start");
        double[] fq = positiveFactor(start.q(), n * r, "start.q (n x rank = " + n + "x" + r + ")");
        double[] fr = positiveFactor(start.r(), m * r, "start.r (m x rank = " + m + "x" + r + ")");
        double[] fg = positiveFactor(start.g(), r, "start.g (rank = " + r + ")");

        double eps = options.epsilon();
        double[] aq = new double[n * r];
        double[] br = new double[m * r];
        double[] m1 = new double[r * r];
        double[] m2 = new double[r * r];
        double[] gradQ = new double[n * r];
        double[] gradR = new double[m * r];
        double[] gradG = new double[r];
        double[] k1 = new double[n * r];
        double[] k2 = new double[m * r];
        double[] k3 = new double[r];
        Dykstra dykstra = new Dykstra(n, m, r);
        List<GromovWasserstein.Step> log = new ArrayList<>();
        long inner = 0;
        int failures = 0;
        int it = 0;
        GromovWasserstein.StopReason reason = GromovWasserstein.StopReason.MAX_ITERATIONS;
        while (it < options.maxIterations()) {
            it++;
            products(x, y, fq, fr, n, m, r, aq, br, m1, m2);
            double objective = objective(x, y, fq, fr, fg, n, m, r, m1, m2);
            // ∇_Q = −4 AQ G M₂ G, ∇_R = −4 BR G M₁ G (M = QᵀAQ, RᵀBR symmetric), ω = −4 diag(M₁ G M₂)
            double norm = 0;
            for (int k = 0; k < r; k++) {
                double w = 0;
                for (int l = 0; l < r; l++) {
                    w += m1[k * r + l] * m2[l * r + k] / fg[l];
                }
                w *= -4;
                gradG[k] = -w / (fg[k] * fg[k]);
                norm = Math.max(norm, Math.abs(gradG[k]));
            }
            norm = Math.max(norm, gradient(aq, m2, fg, fq, eps, n, r, gradQ));
            norm = Math.max(norm, gradient(br, m1, fg, fr, eps, m, r, gradR));
            double gamma = options.gamma();
            if (options.rescaleGamma() && norm > 0 && Double.isFinite(norm)) {
                gamma = options.gamma() / (norm * norm);
            }
            if (!Double.isFinite(objective) || !Double.isFinite(norm) || !(gamma > 0) || Double.isInfinite(gamma)) {
                reason = GromovWasserstein.StopReason.NUMERICAL_FAILURE;
                log.add(new GromovWasserstein.Step(it, Math.max(0, objective), Double.NaN, gamma, 0));
                break;
            }
            // log kernels; ∇_g already holds −ω/g², so log K₃ = −γ∇_g − (γε − 1) log g
            double shrink = gamma * eps - 1;
            for (int t = 0; t < n * r; t++) {
                k1[t] = -gamma * gradQ[t] - shrink * Math.log(fq[t]);
            }
            for (int t = 0; t < m * r; t++) {
                k2[t] = -gamma * gradR[t] - shrink * Math.log(fr[t]);
            }
            for (int k = 0; k < r; k++) {
                k3[k] = -gamma * gradG[k] - shrink * Math.log(fg[k]);
            }
            expShifted(k1, n, r);
            expShifted(k2, m, r);
            expShifted(k3, 1, r);
            int used = dykstra.project(k1, k2, k3, p, q, options.lowerBound(), options.dykstraTolerance(),
                    options.dykstraMaxIterations());
            inner += used;
            if (!dykstra.converged) {
                failures++;
            }
            if (!dykstra.finite()) {
                reason = GromovWasserstein.StopReason.NUMERICAL_FAILURE;
                log.add(new GromovWasserstein.Step(it, objective, Double.NaN, gamma, used));
                break;
            }
            double change = (symmetricKl(dykstra.q, fq) + symmetricKl(dykstra.r, fr) + symmetricKl(dykstra.g, fg))
                    / (gamma * gamma);
            // POT's "fix divide by zero"
            for (int t = 0; t < n * r; t++) {
                fq[t] = dykstra.q[t] + 1e-16;
            }
            for (int t = 0; t < m * r; t++) {
                fr[t] = dykstra.r[t] + 1e-16;
            }
            for (int k = 0; k < r; k++) {
                fg[k] = dykstra.g[k] + 1e-16;
            }
            log.add(new GromovWasserstein.Step(it, objective, change, gamma, used));
            if (!Double.isFinite(change)) {
                reason = GromovWasserstein.StopReason.NUMERICAL_FAILURE;
                break;
            }
            if (change <= options.tolerance()) {
                reason = GromovWasserstein.StopReason.PLAN_CHANGE;
                break;
            }
        }
        products(x, y, fq, fr, n, m, r, aq, br, m1, m2);
        double distance = Math.max(0, objective(x, y, fq, fr, fg, n, m, r, m1, m2));
        if (!Double.isFinite(distance)) {
            distance = Double.MAX_VALUE; // never NaN; reported as a failure
            reason = GromovWasserstein.StopReason.NUMERICAL_FAILURE;
        }
        double[] rowSums = marginal(fq, fr, fg, n, m, r);
        double[] colSums = marginal(fr, fq, fg, m, n, r);
        double err = 0;
        for (int i = 0; i < n; i++) {
            err += Math.abs(rowSums[i] - p[i]);
        }
        for (int k = 0; k < m; k++) {
            err += Math.abs(colSums[k] - q[k]);
        }
        return new Result(distance, fq, fr, fg, n, m, r, it, reason, err, Collections.unmodifiableList(log), inner,
                failures);
    }

    /** POT's "random" start: {@code |N(0,1)| + 1} entries, rows of Q scaled to p, of R to q, g to sum 1. */
    public static Factors randomStart(int n, int m, int r, double[] p, double[] q, long seed) {
        Require.atLeast(r, 1, "rank");
        positiveWeights(p, n, "p");
        positiveWeights(q, m, "q");
        Random rng = new Random(seed);
        double[] g = new double[r];
        double s = 0;
        for (int k = 0; k < r; k++) {
            g[k] = Math.abs(rng.nextGaussian()) + 1;
            s += g[k];
        }
        for (int k = 0; k < r; k++) {
            g[k] /= s;
        }
        return new Factors(randomRows(rng, n, r, p), randomRows(rng, m, r, q), g);
    }

    private static double[] randomRows(Random rng, int n, int r, double[] p) {
        double[] f = new double[n * r];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < r; k++) {
                f[i * r + k] = Math.abs(rng.nextGaussian()) + 1;
                s += f[i * r + k];
            }
            for (int k = 0; k < r; k++) {
                f[i * r + k] *= p[i] / s;
            }
        }
        return f;
    }

    // ----------------------------------------------------------------------------------------------------------

    /** {@code AQ}, {@code BR}, {@code M₁ = QᵀAQ}, {@code M₂ = RᵀBR}. */
    private static void products(Space x, Space y, double[] fq, double[] fr, int n, int m, int r, double[] aq,
            double[] br, double[] m1, double[] m2) {
        x.multiply(fq, r, aq);
        y.multiply(fr, r, br);
        transposeTimes(fq, aq, n, r, m1);
        transposeTimes(fr, br, m, r, m2);
    }

    /** GW at {@code Q diag(1/g) Rᵀ} from its own marginals. */
    private static double objective(Space x, Space y, double[] fq, double[] fr, double[] fg, int n, int m, int r,
            double[] m1, double[] m2) {
        double[] ph = marginal(fq, fr, fg, n, m, r);
        double[] qh = marginal(fr, fq, fg, m, n, r);
        double cross = 0; // tr(M₁ G M₂ G)
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                cross += m1[k * r + l] * m2[l * r + k] / (fg[k] * fg[l]);
            }
        }
        return x.squaredQuadratic(ph) + y.squaredQuadratic(qh) - 2 * cross;
    }

    /**
     * {@code out = −4 F G M G + ε log Z} for {@code F} ({@code n × r}); returns {@code ‖out‖_∞}, the term of the
     * rescaled step.
     */
    private static double gradient(double[] f, double[] mm, double[] fg, double[] z, double eps, int n, int r,
            double[] out) {
        double norm = 0;
        double[] row = new double[r];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < r; l++) {
                row[l] = f[i * r + l] / fg[l];
            }
            for (int k = 0; k < r; k++) {
                double s = 0;
                for (int l = 0; l < r; l++) {
                    s += row[l] * mm[l * r + k];
                }
                double v = -4 * s / fg[k];
                out[i * r + k] = v;
                double withReg = eps == 0 ? v : v + eps * Math.log(z[i * r + k]);
                norm = Math.max(norm, Math.abs(withReg));
            }
        }
        return norm;
    }

    /** {@code out = aᵀ b} for row-major {@code a}, {@code b} ({@code n × r}); {@code out} is {@code r × r}. */
    private static void transposeTimes(double[] a, double[] b, int n, int r, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < n; i++) {
            int off = i * r;
            for (int k = 0; k < r; k++) {
                double v = a[off + k];
                for (int l = 0; l < r; l++) {
                    out[k * r + l] += v * b[off + l];
                }
            }
        }
    }

    /** {@code Q diag(1/g) Rᵀ 1}: the marginal on Q's side. */
    static double[] marginal(double[] fq, double[] fr, double[] fg, int n, int m, int r) {
        double[] colR = new double[r];
        for (int k = 0; k < m; k++) {
            for (int l = 0; l < r; l++) {
                colR[l] += fr[k * r + l];
            }
        }
        for (int l = 0; l < r; l++) {
            colR[l] /= fg[l];
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int l = 0; l < r; l++) {
                s += fq[i * r + l] * colR[l];
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * Exponentiates the log kernel {@code k} ({@code rows × r}). When every entry lies in {@code [−700, 700]} this
     * is the plain exponential (POT's update, exactly); otherwise each row's maximum, then each column's, is taken
     * out first, so that every row and column holds a 1 and no entry exceeds 1 (no overflow, no all-zero line).
     */
    private static void expShifted(double[] k, int rows, int r) {
        boolean safe = true;
        for (double v : k) {
            if (!(Math.abs(v) <= SAFE_EXPONENT)) {
                safe = false;
                break;
            }
        }
        if (safe) {
            for (int t = 0; t < rows * r; t++) {
                k[t] = Math.exp(k[t]);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < r; l++) {
                max = Math.max(max, k[i * r + l]);
            }
            for (int l = 0; l < r; l++) {
                k[i * r + l] -= max;
            }
        }
        double[] colMax = new double[r];
        java.util.Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < r; l++) {
                colMax[l] = Math.max(colMax[l], k[i * r + l]);
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < r; l++) {
                k[i * r + l] = Math.exp(k[i * r + l] - colMax[l]);
            }
        }
    }

    /** {@code KL(a|b) + KL(b|a) = Σ (a − b) log(a/b)} (the linear terms cancel). */
    private static double symmetricKl(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (a[t] - b[t]) * Math.log(a[t] / b[t]);
        }
        return s;
    }

    /**
     * LR-Dykstra (the paper's Algorithm 2, POT's {@code _LR_Dysktra}): the KL projection of {@code (K₁, K₂, K₃)}
     * onto {@code Q1 = p, R1 = q, Qᵀ1 = Rᵀ1 = g ≥ α}, on thin kernels, its buffers reused across calls.
     */
    private static final class Dykstra {
        private final int n;
        private final int m;
        private final int rank;
        final double[] q;
        final double[] r;
        final double[] g;
        private final double[] u1;
        private final double[] u2;
        private final double[] kv;
        private final double[] ktu1;
        private final double[] ktu2;
        private final double[] gTilde;
        private final double[] q31;
        private final double[] q32;
        private final double[] v1;
        private final double[] v2;
        private final double[] q1;
        private final double[] q2;
        boolean converged;

        Dykstra(int n, int m, int rank) {
            this.n = n;
            this.m = m;
            this.rank = rank;
            q = new double[n * rank];
            r = new double[m * rank];
            g = new double[rank];
            u1 = new double[n];
            u2 = new double[m];
            kv = new double[Math.max(n, m)];
            ktu1 = new double[rank];
            ktu2 = new double[rank];
            gTilde = new double[rank];
            q31 = new double[rank];
            q32 = new double[rank];
            v1 = new double[rank];
            v2 = new double[rank];
            q1 = new double[rank];
            q2 = new double[rank];
        }

        /** Projects; returns the iterations run and leaves {@code Q, R, g} in the fields. */
        int project(double[] k1, double[] k2, double[] k3, double[] p, double[] pq, double alpha, double tolerance,
                int maxIterations) {
            int rr = rank;
            System.arraycopy(k3, 0, gTilde, 0, rr);
            java.util.Arrays.fill(q31, 1);
            java.util.Arrays.fill(q32, 1);
            java.util.Arrays.fill(v1, 1);
            java.util.Arrays.fill(v2, 1);
            java.util.Arrays.fill(q1, 1);
            java.util.Arrays.fill(q2, 1);
            converged = false;
            int it = 0;
            while (it < maxIterations) {
                it++;
                scale(k1, v1, p, n, u1);
                scale(k2, v2, pq, m, u2);
                for (int l = 0; l < rr; l++) {
                    double gl = Math.max(alpha, gTilde[l] * q31[l]);
                    q31[l] = gTilde[l] * q31[l] / gl;
                    gTilde[l] = gl;
                }
                transposeApply(k1, u1, n, ktu1);
                transposeApply(k2, u2, m, ktu2);
                for (int l = 0; l < rr; l++) {
                    double prod1 = v1[l] * q1[l] * ktu1[l];
                    double prod2 = v2[l] * q2[l] * ktu2[l];
                    double gl = Math.cbrt(gTilde[l] * q32[l] * prod1 * prod2);
                    double nv1 = gl / ktu1[l];
                    double nv2 = gl / ktu2[l];
                    q1[l] = v1[l] * q1[l] / nv1;
                    q2[l] = v2[l] * q2[l] / nv2;
                    q32[l] = gTilde[l] * q32[l] / gl;
                    v1[l] = nv1;
                    v2[l] = nv2;
                    gTilde[l] = gl;
                }
                double err = residual(k1, v1, u1, p, n) + residual(k2, v2, u2, pq, m);
                if (!(err > tolerance)) {
                    converged = err <= tolerance;
                    break;
                }
            }
            System.arraycopy(gTilde, 0, g, 0, rr);
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < rr; l++) {
                    q[i * rr + l] = u1[i] * k1[i * rr + l] * v1[l];
                }
            }
            for (int k = 0; k < m; k++) {
                for (int l = 0; l < rr; l++) {
                    r[k * rr + l] = u2[k] * k2[k * rr + l] * v2[l];
                }
            }
            return it;
        }

        boolean finite() {
            for (double v : q) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            for (double v : r) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            for (double v : g) {
                if (!(v > 0) || !Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }

        /** {@code u = p / (K v)}. */
        private void scale(double[] k, double[] v, double[] p, int rows, double[] u) {
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int l = 0; l < rank; l++) {
                    s += k[i * rank + l] * v[l];
                }
                u[i] = p[i] / s;
            }
        }

        /** {@code out = Kᵀ u}. */
        private void transposeApply(double[] k, double[] u, int rows, double[] out) {
            java.util.Arrays.fill(out, 0);
            for (int i = 0; i < rows; i++) {
                double ui = u[i];
                for (int l = 0; l < rank; l++) {
                    out[l] += k[i * rank + l] * ui;
                }
            }
        }

        /** {@code Σ |u ∘ (K v) − p|}. */
        private double residual(double[] k, double[] v, double[] u, double[] p, int rows) {
            double e = 0;
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int l = 0; l < rank; l++) {
                    s += k[i * rank + l] * v[l];
                }
                e += Math.abs(u[i] * s - p[i]);
            }
            return e;
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Validation and spaces

    private static void positiveWeights(double[] w, int length, String name) {
        Require.finiteVector(w, length, name);
        for (int i = 0; i < length; i++) {
            if (!(w[i] > 0)) {
                throw new IllegalArgumentException(name + "[" + i + "] must be > 0 (low-rank GW takes logarithms "
                        + "of the factors), got " + w[i]);
            }
        }
    }

    private static double[] positiveFactor(double[] f, int length, String name) {
        Require.nonNull(f, name);
        if (f.length != length) {
            throw new IllegalArgumentException(name + " has " + f.length + " entries, expected " + length);
        }
        for (int t = 0; t < length; t++) {
            if (!(f[t] > 0) || !Double.isFinite(f[t])) {
                throw new IllegalArgumentException(name + "[" + t + "] must be > 0 and finite, got " + f[t]);
            }
        }
        return f.clone();
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    /** {@code scale · ‖x_i − x_i'‖²} as {@code U Vᵀ} of the centred points. */
    private static final class FactoredSpace implements Space {
        private final int n;
        private final int rank;
        private final double[] u;
        private final double[] v;
        private final String description;

        FactoredSpace(DMatrixRMaj points, double scale) {
            n = points.numRows;
            int d = points.numCols;
            rank = d + 2;
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                for (int f = 0; f < d; f++) {
                    mean[f] += points.data[i * d + f];
                }
            }
            for (int f = 0; f < d; f++) {
                mean[f] /= n;
            }
            u = new double[n * rank];
            v = new double[n * rank];
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int f = 0; f < d; f++) {
                    double c = points.data[i * d + f] - mean[f];
                    norm += c * c;
                    u[i * rank + 2 + f] = -2 * scale * c;
                    v[i * rank + 2 + f] = c;
                }
                u[i * rank] = scale * norm;
                u[i * rank + 1] = scale;
                v[i * rank] = 1;
                v[i * rank + 1] = norm;
            }
            description = "squared Euclidean distances of " + n + " points in R^" + d + " (exact rank " + rank
                    + " factorisation)" + (scale == 1 ? "" : ", times " + scale);
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public void multiply(double[] x, int k, double[] out) {
            double[] t = new double[rank * k];
            transposeTimesRect(v, x, n, rank, k, t);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int f = 0; f < rank; f++) {
                        s += u[i * rank + f] * t[f * k + c];
                    }
                    out[i * k + c] = s;
                }
            }
        }

        @Override
        public double squaredQuadratic(double[] w) {
            // wᵀ(A∘A)w = Σ_{f,h} (Uᵀ diag(w) U)_fh (Vᵀ diag(w) V)_fh
            double[] mu = new double[rank * rank];
            double[] mv = new double[rank * rank];
            for (int i = 0; i < n; i++) {
                double wi = w[i];
                for (int f = 0; f < rank; f++) {
                    double a = wi * u[i * rank + f];
                    double b = wi * v[i * rank + f];
                    for (int h = 0; h < rank; h++) {
                        mu[f * rank + h] += a * u[i * rank + h];
                        mv[f * rank + h] += b * v[i * rank + h];
                    }
                }
            }
            double s = 0;
            for (int t = 0; t < mu.length; t++) {
                s += mu[t] * mv[t];
            }
            return s;
        }

        @Override
        public String description() {
            return description;
        }
    }

    /** {@code out = aᵀ b} for row-major {@code a} ({@code n × ra}) and {@code b} ({@code n × rb}). */
    private static void transposeTimesRect(double[] a, double[] b, int n, int ra, int rb, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < ra; f++) {
                double x = a[i * ra + f];
                for (int c = 0; c < rb; c++) {
                    out[f * rb + c] += x * b[i * rb + c];
                }
            }
        }
    }

    /** A dense symmetric matrix. */
    private static final class DenseSpace implements Space {
        private final double[] a;
        private final int n;

        DenseSpace(double[] a, int n) {
            this.a = a;
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public void multiply(double[] x, int k, double[] out) {
            java.util.Arrays.fill(out, 0, n * k, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = a[i * n + j];
                    for (int c = 0; c < k; c++) {
                        out[i * k + c] += v * x[j * k + c];
                    }
                }
            }
        }

        @Override
        public double squaredQuadratic(double[] w) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < n; j++) {
                    double v = a[i * n + j];
                    row += v * v * w[j];
                }
                s += w[i] * row;
            }
            return s;
        }

        @Override
        public String description() {
            return "a dense " + n + "x" + n + " matrix";
        }
    }
}
