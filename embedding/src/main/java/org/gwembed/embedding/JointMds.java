package org.gwembed.embedding;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Joint multidimensional scaling (JMDS; Chen, Fan, Oliver, Borgwardt, ICLR 2023), the free-support comparator of
 * METHOD.md §7, computed as the reference implementation {@code BorgwardtLab/JointMDS} ({@code joint_mds.py},
 * {@code utils/mds.py}, {@code utils/ot_utils.py}) does.
 *
 * <p>Unknowns {@code Z₁} ({@code n₁ × d}), {@code Z₂} ({@code n₂ × d}); joint configuration {@code Z = [Z₁; Z₂]}
 * ({@code N = n₁ + n₂} rows), block dissimilarity {@code Δ = [[D₁, 0], [0, D₂]]}, block weights
 * {@code W = [[ξ₁ξ₁ᵀ, αP], [αPᵀ, ξ₂ξ₂ᵀ]]} (no further normalisation; ξ are the spaces' measures, the reference's
 * {@code a}, {@code b}, uniform by default there). The weighted stress {@code ½ Σ W_pq (Δ_pq − ‖z_p − z_q‖)²} is
 * the EW form with λ = 1/(2α).
 *
 * <p><b>Algorithm</b> ({@link #fit}):
 * <ol>
 *   <li>Initialisation: unweighted {@link Smacof} of {@code D₁}, then of {@code D₂}, each from
 *       {@link Options#initializations()} uniform random starts drawn from one seeded generator, then each result
 *       centred and rotated onto its principal axes (scikit-learn's {@code PCA(n_components=d).fit_transform}, signs
 *       so that the largest-magnitude coordinate along each axis is positive, see {@link #pca}).</li>
 *   <li>Outer loop, at most {@link Options#maxIterations()} times: (1) {@link WassersteinProcrustes} of
 *       {@code (Z₁, Z₂)} with the current ε (≤ 10 alternations, 5 warm-started Sinkhorn iterations each, stop when
 *       {@code ‖ΔP‖_F < 1e-5}); (2) {@code W₁₂ ← αP}, start {@code [Z₁O; Z₂]}; (3) weighted SMACOF on
 *       {@code (Δ, W)} (≤ 300 transforms, the reference's stress-decrease rule with 1e-3); (4) stop when
 *       {@code ‖Z − Z_old‖_F < tol}, where {@code Z_old = [Z₁; Z₂]} before the rotation; otherwise
 *       {@code ε ← max(0.95 ε, minEpsilon)} if ε-annealing is on and {@code α ← max(0.9 α, 0.01)} if α-annealing is
 *       on (both after the test, as the reference).</li>
 * </ol>
 *
 * <p><b>Deviations from the reference</b> (none changes the iterates): double precision throughout (the reference
 * examples use float32); {@code (V + 11ᵀ/N)} is Cholesky-factored once per SMACOF run and solved for the
 * {@code d} right-hand sides instead of {@code torch.inverse} (see {@link Smacof}); the random starts come from
 * {@link SplittableRandom} instead of torch's generator; on convergence the returned configuration is the final
 * SMACOF output {@code Z} (the reference returns the previous iterate's blocks, which differ from {@code Z} by less
 * than {@code tol} in Frobenius norm). Not ported: {@code gw_init} (off by default there), custom within-block weights
 * {@code w1}, {@code w2} (the reference's defaults {@code ξξᵀ} are used), Euclidean input features (pass distances).
 *
 * <p>Non-convergence is reported in the {@link Result}, never thrown.
 */
public final class JointMds {

    private static final System.Logger LOG = System.getLogger(JointMds.class.getName());

    /** ε-annealing factor per outer iteration (reference: {@code eps * 0.95}). */
    public static final double EPSILON_DECAY = 0.95;
    /** α-annealing factor per outer iteration (reference: {@code alpha * 0.9}). */
    public static final double ALPHA_DECAY = 0.9;
    /** α-annealing floor (reference: {@code max(alpha * 0.9, 0.01)}). */
    public static final double MIN_ALPHA = 0.01;

    private JointMds() {
    }

    /**
     * Settings. The defaults are the reference's constructor defaults; {@link #singleCell(int)},
     * {@link #snareseq()} and {@link #scgem()} are the settings of its single-cell examples.
     *
     * @param dimensions             {@code d}, the target dimension ({@code n_components}, default 2)
     * @param alpha                  matching weight α > 0 (default 1)
     * @param epsilon                Sinkhorn regularisation ε > 0 in the units of squared embedding distances
     *                               (default 0.01)
     * @param maxIterations          outer iterations (default 300)
     * @param tolerance              outer stop on {@code ‖Z − Z_old‖_F} (default 1e-3)
     * @param minEpsilon             ε-annealing floor (default 1e-3)
     * @param epsilonAnnealing       ε ← max(0.95 ε, minEpsilon) per outer iteration (default on)
     * @param alphaAnnealing         α ← max(0.9 α, 0.01) per outer iteration (default off)
     * @param initializations        random starts of each initial SMACOF ({@code n_init}, default 1 as the
     *                               reference calls it)
     * @param seed                   seed of the random starts
     * @param procrustesIterations   Wasserstein–Procrustes alternations (default 10)
     * @param sinkhornIterations     Sinkhorn iterations per alternation (default 5)
     * @param procrustesTolerance    stop of the alternations on {@code ‖ΔP‖_F} (default 1e-5)
     * @param smacof                 settings of every SMACOF run (default 300 transforms, 1e-3)
     */
    public record Options(int dimensions, double alpha, double epsilon, int maxIterations, double tolerance,
            double minEpsilon, boolean epsilonAnnealing, boolean alphaAnnealing, int initializations, long seed,
            int procrustesIterations, int sinkhornIterations, double procrustesTolerance, Smacof.Options smacof) {

        /** Validates the settings. */
        public Options {
            Require.atLeast(dimensions, 1, "dimensions");
            Require.positive(alpha, "alpha");
            Require.positive(epsilon, "epsilon");
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.positive(tolerance, "tolerance");
            Require.positive(minEpsilon, "minEpsilon");
            Require.atLeast(initializations, 1, "initializations");
            Require.atLeast(procrustesIterations, 1, "procrustesIterations");
            Require.atLeast(sinkhornIterations, 1, "sinkhornIterations");
            Require.positive(procrustesTolerance, "procrustesTolerance");
            Require.nonNull(smacof, "smacof");
        }

        /**
         * The reference's defaults: d = 2, α = 1, ε = 0.01, 300 iterations, tol 1e-3, ε-annealing on (floor 1e-3),
         * α-annealing off, one start per initial SMACOF, seed 0.
         */
        public static Options defaults() {
            return new Builder().build();
        }

        /** The reference's single-cell settings: α = 0.3, ε = 0.1, no annealing, {@code maxIterations} iterations. */
        public static Options singleCell(int maxIterations) {
            return defaults().withAlpha(0.3).withEpsilon(0.1).withEpsilonAnnealing(false)
                    .withMaxIterations(maxIterations);
        }

        /** {@code example_SNAREseq.py}: {@link #singleCell(int)} with 100 iterations. */
        public static Options snareseq() {
            return singleCell(100);
        }

        /** {@code example_scGEM.py}: {@link #singleCell(int)} with 500 iterations. */
        public static Options scgem() {
            return singleCell(500);
        }

        /** A copy with another dimension. */
        public Options withDimensions(int v) {
            return with(b -> b.dimensions = v);
        }

        /** A copy with another α. */
        public Options withAlpha(double v) {
            return with(b -> b.alpha = v);
        }

        /** A copy with another ε. */
        public Options withEpsilon(double v) {
            return with(b -> b.epsilon = v);
        }

        /** A copy with another outer iteration limit. */
        public Options withMaxIterations(int v) {
            return with(b -> b.maxIterations = v);
        }

        /** A copy with another outer tolerance. */
        public Options withTolerance(double v) {
            return with(b -> b.tolerance = v);
        }

        /** A copy with ε-annealing switched on or off. */
        public Options withEpsilonAnnealing(boolean v) {
            return with(b -> b.epsilonAnnealing = v);
        }

        /** A copy with α-annealing switched on or off. */
        public Options withAlphaAnnealing(boolean v) {
            return with(b -> b.alphaAnnealing = v);
        }

        /** A copy with another number of random starts per initial SMACOF. */
        public Options withInitializations(int v) {
            return with(b -> b.initializations = v);
        }

        /** A copy with another seed. */
        public Options withSeed(long v) {
            return with(b -> b.seed = v);
        }

        /** A copy with other SMACOF settings. */
        public Options withSmacof(Smacof.Options v) {
            return with(b -> b.smacof = v);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            int dimensions = 2;
            double alpha = 1.0;
            double epsilon = 0.01;
            int maxIterations = 300;
            double tolerance = 1e-3;
            double minEpsilon = 1e-3;
            boolean epsilonAnnealing = true;
            boolean alphaAnnealing;
            int initializations = 1;
            long seed;
            int procrustesIterations = 10;
            int sinkhornIterations = 5;
            double procrustesTolerance = 1e-5;
            Smacof.Options smacof = Smacof.Options.defaults();

            Builder() {
            }

            Builder(Options o) {
                dimensions = o.dimensions;
                alpha = o.alpha;
                epsilon = o.epsilon;
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                minEpsilon = o.minEpsilon;
                epsilonAnnealing = o.epsilonAnnealing;
                alphaAnnealing = o.alphaAnnealing;
                initializations = o.initializations;
                seed = o.seed;
                procrustesIterations = o.procrustesIterations;
                sinkhornIterations = o.sinkhornIterations;
                procrustesTolerance = o.procrustesTolerance;
                smacof = o.smacof;
            }

            Options build() {
                return new Options(dimensions, alpha, epsilon, maxIterations, tolerance, minEpsilon, epsilonAnnealing,
                        alphaAnnealing, initializations, seed, procrustesIterations, sinkhornIterations,
                        procrustesTolerance, smacof);
            }
        }
    }

    /** Why the outer loop ended. */
    public enum StopReason {
        /** {@code ‖Z − Z_old‖_F < tol}. */
        CONVERGED,
        /** {@code maxIterations} outer iterations ran first. */
        MAX_ITERATIONS,
        /** A weighted SMACOF run met a matrix {@code V + 11ᵀ/N} that is not positive definite. */
        NOT_POSITIVE_DEFINITE
    }

    /**
     * Wall times in seconds.
     *
     * @param initialisation the two unweighted SMACOF runs and PCA
     * @param procrustes     all Wasserstein–Procrustes calls
     * @param factorisation  the Cholesky factorisations of the weighted SMACOF runs
     * @param smacof         the weighted SMACOF runs in total (factorisation included)
     * @param total          the whole fit
     */
    public record Timings(double initialisation, double procrustes, double factorisation, double smacof,
            double total) {
    }

    /**
     * The outcome.
     *
     * @param z1                   {@code Z₁}, {@code n₁ × d}
     * @param z2                   {@code Z₂}, {@code n₂ × d}
     * @param coupling             the last coupling {@code P}, {@code n₁ × n₂}
     * @param stressHistory        per outer iteration, the weighted stress of that iteration's SMACOF result (under
     *                             that iteration's weights, so entries need not decrease)
     * @param displacementHistory  per outer iteration, {@code ‖Z − Z_old‖_F}
     * @param smacofIterations     per outer iteration, Guttman transforms of its SMACOF run
     * @param procrustesIterations per outer iteration, Wasserstein–Procrustes alternations
     * @param iterations           outer iterations run
     * @param stopReason           why the outer loop ended
     * @param initialStress        stress of the two initial (unweighted) SMACOF results, {@code [σ₁, σ₂]}
     * @param finalEpsilon         ε of the last iteration
     * @param finalAlpha           α of the last iteration
     * @param timings              wall times
     * @param options              the settings used
     */
    public record Result(DMatrixRMaj z1, DMatrixRMaj z2, DMatrixRMaj coupling, double[] stressHistory,
            double[] displacementHistory, int[] smacofIterations, int[] procrustesIterations, int iterations,
            StopReason stopReason, double[] initialStress, double finalEpsilon, double finalAlpha, Timings timings,
            Options options) {

        /** Whether {@code ‖Z − Z_old‖_F < tol} ended the run. */
        public boolean converged() {
            return stopReason == StopReason.CONVERGED;
        }

        /** The last weighted stress (the reference's {@code stress_}, up to where it is evaluated). */
        public double stress() {
            return stressHistory.length == 0 ? Double.NaN : stressHistory[stressHistory.length - 1];
        }

        /** FOSCTTM of the paired embeddings ({@code n₁ = n₂}, row i ↔ row i). */
        public AlignmentMetrics.Foscttm foscttm() {
            return AlignmentMetrics.foscttm(z1, z2);
        }

        /** k-NN label transfer between the embeddings (labels as class indices). */
        public AlignmentMetrics.LabelTransfer labelTransfer(int[] labels1, int[] labels2, int k) {
            return AlignmentMetrics.labelTransfer(z1, labels1, z2, labels2, k);
        }
    }

    /**
     * Runs JMDS on two metric-measure spaces (their distance matrices are {@code D₁}, {@code D₂}, their measures
     * {@code ξ₁}, {@code ξ₂}). The spaces are used as given: JointMDS's own preparation divides graph geodesics by
     * their mean ({@code DistanceMatrices.normalizedToMean(space, 1)}).
     *
     * @throws IllegalArgumentException if an argument is {@code null} or a space has fewer than
     *                                  {@code max(2, dimensions)} points
     */
    public static Result fit(MetricMeasureSpace space1, MetricMeasureSpace space2, Options options) {
        Require.nonNull(space1, "space1");
        Require.nonNull(space2, "space2");
        Require.nonNull(options, "options");
        int d = options.dimensions();
        int m = space1.size();
        int n = space2.size();
        int min = Math.max(2, d);
        if (m < min || n < min) {
            throw new IllegalArgumentException("space1 and space2 need at least " + min + " points each for "
                    + d + " dimensions, got " + m + " and " + n);
        }
        long start = System.nanoTime();
        DMatrixRMaj d1 = space1.space().distanceMatrix();
        DMatrixRMaj d2 = space2.space().distanceMatrix();
        double[] a = space1.weights();
        double[] b = space2.weights();
        Smacof.Options smacofOptions = options.smacof();

        // 1. initialisation: SMACOF per domain from seeded uniform starts, then PCA
        SplittableRandom random = new SplittableRandom(options.seed());
        Smacof.Result init1 = Smacof.unweighted(d1, d, options.initializations(), random, smacofOptions);
        Smacof.Result init2 = Smacof.unweighted(d2, d, options.initializations(), random, smacofOptions);
        DMatrixRMaj z1 = pca(init1.configuration());
        DMatrixRMaj z2 = pca(init2.configuration());
        double initSeconds = seconds(start);

        // the joint problem
        int big = m + n;
        double[] delta = new double[big * big];
        double[] weights = new double[big * big];
        for (int i = 0; i < m; i++) {
            System.arraycopy(d1.data, i * m, delta, i * big, m);
            for (int j = 0; j < m; j++) {
                weights[i * big + j] = a[i] * a[j];
            }
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(d2.data, i * n, delta, (m + i) * big + m, n);
            for (int j = 0; j < n; j++) {
                weights[(m + i) * big + m + j] = b[i] * b[j];
            }
        }
        d1 = null; // release
        d2 = null;

        double eps = options.epsilon();
        double alpha = options.alpha();
        int max = options.maxIterations();
        double[] stress = new double[max];
        double[] displacement = new double[max];
        int[] smacofIts = new int[max];
        int[] procrustesIts = new int[max];
        double procrustesSeconds = 0;
        double smacofSeconds = 0;
        double factorSeconds = 0;
        double[] planT = null;
        double[] zOld = stack(z1, z2);
        double[] z = zOld;
        StopReason reason = StopReason.MAX_ITERATIONS;
        int it = 0;
        double usedEps = eps;
        double usedAlpha = alpha;
        while (it < max) {
            usedEps = eps;
            usedAlpha = alpha;
            final double lastEps = eps;
            final double lastAlpha = alpha;
            final int iteration = it + 1;
            long t0 = System.nanoTime();
            WassersteinProcrustes.Outcome wp = WassersteinProcrustes.compute(z1, z2, a, b, eps,
                    options.procrustesIterations(), options.sinkhornIterations(), options.procrustesTolerance());
            procrustesSeconds += seconds(t0);
            planT = wp.planT();
            procrustesIts[it] = wp.iterations();

            long t1 = System.nanoTime();
            fillCoupling(weights, planT, alpha, m, n);
            double[] start0 = zOld.clone();
            rotateFirstBlock(start0, m, d, wp.rotation().data);
            Smacof.Result sm = Smacof.run(delta, weights, big, start0, d, smacofOptions);
            smacofSeconds += seconds(t1);
            factorSeconds += sm.factorSeconds();
            smacofIts[it] = sm.iterations();
            stress[it] = sm.stress();
            z = sm.configuration().data;
            it++;
            if (sm.stopReason() == Smacof.StopReason.NOT_POSITIVE_DEFINITE) {
                reason = StopReason.NOT_POSITIVE_DEFINITE;
                displacement[it - 1] = Double.NaN;
                break;
            }
            double err = frobeniusDistance(z, zOld);
            displacement[it - 1] = err;
            LOG.log(System.Logger.Level.DEBUG, () -> String.format(
                    "JMDS iteration %d: eps %.4g alpha %.4g diff %.4g stress %.6g, %d Procrustes, %d SMACOF",
                    iteration, lastEps, lastAlpha, err, sm.stress(), wp.iterations(),
                    sm.iterations()));
            if (err < options.tolerance()) {
                reason = StopReason.CONVERGED;
                break;
            }
            zOld = z;
            z1 = block(z, 0, m, d);
            z2 = block(z, m, n, d);
            if (options.epsilonAnnealing()) {
                eps = Math.max(eps * EPSILON_DECAY, options.minEpsilon());
            }
            if (options.alphaAnnealing()) {
                alpha = Math.max(alpha * ALPHA_DECAY, MIN_ALPHA);
            }
        }
        DMatrixRMaj coupling = new DMatrixRMaj(m, n);
        for (int j = 0; j < n && planT != null; j++) {
            for (int i = 0; i < m; i++) {
                coupling.data[i * n + j] = planT[j * m + i];
            }
        }
        return new Result(block(z, 0, m, d), block(z, m, n, d), coupling, Arrays.copyOf(stress, it),
                Arrays.copyOf(displacement, it), Arrays.copyOf(smacofIts, it), Arrays.copyOf(procrustesIts, it), it,
                reason, new double[] {init1.stress(), init2.stress()}, usedEps, usedAlpha,
                new Timings(initSeconds, procrustesSeconds, factorSeconds, smacofSeconds, seconds(start)), options);
    }

    /** Writes {@code αP} into the off-diagonal blocks of the joint weights (given {@code Pᵀ}, {@code n × m}). */
    private static void fillCoupling(double[] w, double[] planT, double alpha, int m, int n) {
        int big = m + n;
        Parallel.forRange(n, Parallel.defaultThreads(), m, (from, to) -> {
            for (int j = from; j < to; j++) {
                int src = j * m;
                int dst = (m + j) * big;
                for (int i = 0; i < m; i++) {
                    w[dst + i] = alpha * planT[src + i];
                }
            }
        });
        Parallel.forRange(m, Parallel.defaultThreads(), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                int dst = i * big + m;
                for (int j = 0; j < n; j++) {
                    w[dst + j] = alpha * planT[j * m + i];
                }
            }
        });
    }

    /** Rows {@code 0..m} of the row-major {@code z} ({@code d} columns) times {@code o} ({@code d × d}). */
    private static void rotateFirstBlock(double[] z, int m, int d, double[] o) {
        double[] row = new double[d];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += z[i * d + k] * o[k * d + c];
                }
                row[c] = s;
            }
            System.arraycopy(row, 0, z, i * d, d);
        }
    }

    /**
     * scikit-learn's {@code PCA(n_components=d).fit_transform(X)} for {@code X} with {@code d} columns: centre,
     * project onto the right singular vectors in decreasing order of singular value, each axis signed so that the
     * projected coordinate of largest magnitude is positive ({@code svd_flip(U, Vt)} with its default
     * {@code u_based_decision=True}, as scikit-learn's PCA did before version 1.5, the reference's era; 1.5 switched
     * to the sign of the axis vector itself, which depends on the arbitrary rotation of the SMACOF output and flips
     * one domain against the other at random).
     */
    static DMatrixRMaj pca(DMatrixRMaj x) {
        int n = x.numRows;
        int d = x.numCols;
        DMatrixRMaj c = x.copy();
        for (int k = 0; k < d; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += c.get(i, k);
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                c.set(i, k, c.get(i, k) - mean);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, true, true);
        if (!svd.decompose(c.copy())) {
            throw new IllegalStateException("SVD of the centred " + n + "x" + d + " configuration failed");
        }
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(null, false, w, v, false);
        DMatrixRMaj out = new DMatrixRMaj(n, d);
        org.ejml.dense.row.CommonOps_DDRM.mult(c, v, out);
        for (int k = 0; k < d; k++) {
            int arg = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(out.get(i, k)) > Math.abs(out.get(arg, k))) {
                    arg = i;
                }
            }
            if (out.get(arg, k) < 0) {
                for (int i = 0; i < n; i++) {
                    out.set(i, k, -out.get(i, k));
                }
            }
        }
        return out;
    }

    private static double[] stack(DMatrixRMaj z1, DMatrixRMaj z2) {
        double[] z = new double[z1.getNumElements() + z2.getNumElements()];
        System.arraycopy(z1.data, 0, z, 0, z1.getNumElements());
        System.arraycopy(z2.data, 0, z, z1.getNumElements(), z2.getNumElements());
        return z;
    }

    private static DMatrixRMaj block(double[] z, int firstRow, int rows, int d) {
        DMatrixRMaj b = new DMatrixRMaj(rows, d);
        System.arraycopy(z, firstRow * d, b.data, 0, rows * d);
        return b;
    }

    private static double frobeniusDistance(double[] x, double[] y) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            double t = x[k] - y[k];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) * 1e-9;
    }
}
