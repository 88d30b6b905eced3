package org.gwembed.embedding;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.fitting.MultivariateNormalMixtureExpectationMaximization;
import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.util.Pair;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.gwembed.core.Require;

/**
 * A Gaussian mixture in {@code R^d}: weights (a probability vector), means and covariances (symmetric positive
 * semi-definite), with the Bures–Wasserstein distance between components in any dimension and EM fitting through
 * Commons Math (METHOD.md §8).
 *
 * @param weights     K component weights summing to 1
 * @param means       K means of dimension d
 * @param covariances K covariance matrices d × d
 */
public record GaussianMixture(double[] weights, List<double[]> means, List<DMatrixRMaj> covariances) {

    public GaussianMixture {
        Require.nonNull(weights, "weights");
        Require.probabilityVector(weights, weights.length, 1e-9, "weights");
        Require.nonNull(means, "means");
        Require.nonNull(covariances, "covariances");
        int k = weights.length;
        if (k < 1 || means.size() != k || covariances.size() != k) {
            throw new IllegalArgumentException("a mixture needs as many means and covariances as weights, got "
                    + k + " weights, " + means.size() + " means, " + covariances.size() + " covariances");
        }
        int d = means.get(0).length;
        List<double[]> m = new ArrayList<>();
        List<DMatrixRMaj> c = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double[] mean = Require.finiteVector(means.get(i), d, "means[" + i + "]");
            DMatrixRMaj cov = Require.nonNull(covariances.get(i), "covariances[" + i + "]");
            if (cov.numRows != d || cov.numCols != d) {
                throw new IllegalArgumentException("covariances[" + i + "] is " + cov.numRows + "x" + cov.numCols
                        + ", expected " + d + "x" + d);
            }
            m.add(mean.clone());
            c.add(cov.copy());
        }
        weights = weights.clone();
        means = List.copyOf(m);
        covariances = List.copyOf(c);
    }

    /** The number of components K. */
    public int size() {
        return weights.length;
    }

    /** The dimension d. */
    public int dimension() {
        return means.get(0).length;
    }

    /**
     * Fits a K-component mixture to the rows of {@code points} by expectation–maximisation (Commons Math's
     * {@code MultivariateNormalMixtureExpectationMaximization}, started from its own data-driven estimate, which
     * is deterministic), at most {@code maxIterations} EM steps, log-likelihood tolerance 1e-8.
     *
     * @throws IllegalArgumentException when there are too few points or EM meets a singular component (the message
     *                                  says so; fewer components or more data help)
     */
    public static GaussianMixture fit(DMatrixRMaj points, int components, int maxIterations) {
        Require.nonNull(points, "points");
        Require.atLeast(components, 1, "components");
        Require.atLeast(maxIterations, 1, "maxIterations");
        int n = points.numRows;
        int d = points.numCols;
        if (n < 2 * components || d < 1) {
            throw new IllegalArgumentException("fitting " + components + " components needs at least "
                    + 2 * components + " points, got " + n + "x" + d);
        }
        double[][] data = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                data[i][j] = points.get(i, j);
            }
        }
        MixtureMultivariateNormalDistribution model;
        try {
            MultivariateNormalMixtureExpectationMaximization em = new MultivariateNormalMixtureExpectationMaximization(
                    data);
            em.fit(MultivariateNormalMixtureExpectationMaximization.estimate(data, components), maxIterations, 1e-8);
            model = em.getFittedModel();
        } catch (org.apache.commons.math3.exception.MathIllegalArgumentException
                | org.apache.commons.math3.exception.MathIllegalStateException e) {
            throw new IllegalArgumentException("EM could not fit " + components + " Gaussian components to " + n
                    + " points in R^" + d + ": " + e.getMessage(), e);
        }
        double[] w = new double[components];
        List<double[]> means = new ArrayList<>();
        List<DMatrixRMaj> covs = new ArrayList<>();
        int i = 0;
        for (Pair<Double, MultivariateNormalDistribution> c : model.getComponents()) {
            w[i++] = c.getFirst();
            means.add(c.getSecond().getMeans());
            covs.add(new DMatrixRMaj(c.getSecond().getCovariances().getData()));
        }
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int t = 0; t < w.length; t++) {
            w[t] /= s;
        }
        return new GaussianMixture(w, means, covs);
    }

    /**
     * The squared 2-Wasserstein distance between {@code N(m1, s1)} and {@code N(m2, s2)} in any dimension:
     * {@code ‖m1 − m2‖² + tr(s1 + s2 − 2 (s1^{1/2} s2 s1^{1/2})^{1/2})}, square roots by symmetric eigen-
     * decomposition (EJML), negative round-off eigenvalues clamped to 0.
     */
    public static double wasserstein2Squared(double[] m1, DMatrixRMaj s1, double[] m2, DMatrixRMaj s2) {
        int d = m1.length;
        double mean = 0;
        for (int i = 0; i < d; i++) {
            double t = m1[i] - m2[i];
            mean += t * t;
        }
        DMatrixRMaj root = sqrtSymmetric(s1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj cross = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, s2, tmp);
        CommonOps_DDRM.mult(tmp, root, cross);
        double traceRoot = 0;
        for (double lambda : symmetricEigenvalues(cross)) {
            traceRoot += Math.sqrt(Math.max(0, lambda));
        }
        return Math.max(0, mean + CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2) - 2 * traceRoot);
    }

    /** The symmetric positive semi-definite square root. */
    static DMatrixRMaj sqrtSymmetric(DMatrixRMaj s) {
        int d = s.numRows;
        DMatrixRMaj sym = s.copy();
        CommonOps_DDRM.transpose(s, sym);
        CommonOps_DDRM.add(0.5, s, 0.5, sym, sym);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(sym)) {
            throw new IllegalArgumentException("eigen-decomposition failed for a " + d + "x" + d + " covariance");
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double lambda = Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    out.add(i, j, lambda * v.get(i) * v.get(j));
                }
            }
        }
        return out;
    }

    private static double[] symmetricEigenvalues(DMatrixRMaj s) {
        int d = s.numRows;
        DMatrixRMaj sym = new DMatrixRMaj(d, d);
        CommonOps_DDRM.transpose(s, sym);
        CommonOps_DDRM.add(0.5, s, 0.5, sym, sym);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(sym)) {
            throw new IllegalArgumentException("eigen-decomposition failed for a " + d + "x" + d + " matrix");
        }
        double[] out = new double[d];
        for (int k = 0; k < d; k++) {
            out[k] = eig.getEigenvalue(k).getReal();
        }
        return out;
    }

    /** The K × K matrix of W₂ distances (not squared) between this mixture's components. */
    public DMatrixRMaj componentDistances() {
        int k = size();
        DMatrixRMaj out = new DMatrixRMaj(k, k);
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double w = Math.sqrt(wasserstein2Squared(means.get(i), covariances.get(i), means.get(j),
                        covariances.get(j)));
                out.set(i, j, w);
                out.set(j, i, w);
            }
        }
        return out;
    }
}
