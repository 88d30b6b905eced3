package org.gwembed.metricspaces;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * A finite space of 2D Gaussians {@code N(m, Σ)} with the Bures–Wasserstein distance (METHOD.md §1):
 * <pre>
 *   W₂² = ‖m − m'‖² + tr(Σ + Σ' − 2 (Σ^{1/2} Σ' Σ^{1/2})^{1/2}).
 * </pre>
 * For 2×2 matrices the trace of the square root has a closed form: with {@code M = Σ^{1/2} Σ' Σ^{1/2}},
 * {@code tr √M = √(tr M + 2 √det M)}, {@code tr M = tr(Σ Σ')}, {@code det M = det Σ · det Σ'}; no matrix square
 * root is computed.
 *
 * <p><b>Points.</b> Means on a {@code k × k} grid on the box {@code [0, side]²} times a family of covariances, by
 * default the paper's 12: {@code Σ = σ² [[a, ρ√(ab)], [ρ√(ab), b]]}, {@code a, b ∈ {0.5, 1}},
 * {@code ρ ∈ {−0.5, 0, 0.5}} (15×15 means give 2700 points). <b>Ordering:</b> point
 * {@code i = (iy · k + ix) · C + c} (covariance fastest, then mean x, then mean y), mean
 * {@code (ix, iy) · side / (k − 1)}; covariance {@code c} in the order of {@link #paperCovariances(double)}.
 *
 * <p><b>Structure.</b> W₂² is a sum of three per-axis terms (mean y, mean x, covariance): a {@link GridStructure}
 * with two translation-invariant axes and one general axis (the {@code C × C} matrix of squared Bures distances).
 * <b>Coordinates:</b> the means.
 */
public final class GaussianSpace implements MetricSpace {

    private final int k;
    private final double side;
    private final List<double[]> covariances; // each {s11, s12, s22}
    private final double[] bures2;            // C x C squared Bures distances
    private final GridStructure structure;

    private GaussianSpace(int k, double side, List<double[]> covariances) {
        this.k = k;
        this.side = side;
        this.covariances = covariances;
        int c = covariances.size();
        bures2 = new double[c * c];
        for (int a = 0; a < c; a++) {
            for (int b = 0; b < c; b++) {
                bures2[a * c + b] = a == b ? 0 : buresSquared(covariances.get(a), covariances.get(b));
            }
        }
        double h = side / (k - 1);
        double[] axis = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double d = (i - j) * h;
                axis[i * k + j] = d * d;
            }
        }
        GridStructure.Axis meanAxis = new GridStructure.Axis(k, axis, false, true);
        structure = new GridStructure(List.of(meanAxis, meanAxis,
                new GridStructure.Axis(c, bures2.clone(), false, false)));
    }

    /**
     * The paper's space: {@code k × k} means on {@code [0, 1]²} and the 12 covariances of
     * {@link #paperCovariances(double)} with scale {@code sigma2}.
     */
    public static GaussianSpace of(int k, double sigma2) {
        return of(k, 1.0, paperCovariances(sigma2));
    }

    /**
     * A space of {@code k × k} means ({@code k >= 2}) on {@code [0, side]²} times the given covariances, each
     * given as {@code {Σ11, Σ12, Σ22}} and required symmetric positive semi-definite.
     */
    public static GaussianSpace of(int k, double side, List<double[]> covariances) {
        Require.atLeast(k, 2, "mean grid side k");
        Require.positive(side, "side");
        Require.nonNull(covariances, "covariances");
        if (covariances.isEmpty()) {
            throw new IllegalArgumentException("covariances must not be empty");
        }
        List<double[]> copy = new ArrayList<>();
        for (int c = 0; c < covariances.size(); c++) {
            double[] s = Require.finiteVector(covariances.get(c), 3, "covariances[" + c + "]").clone();
            double det = s[0] * s[2] - s[1] * s[1];
            if (s[0] < 0 || s[2] < 0 || det < -1e-14 * (s[0] * s[2])) {
                throw new IllegalArgumentException("covariances[" + c + "] = [[" + s[0] + ", " + s[1] + "], [" + s[1]
                        + ", " + s[2] + "]] is not positive semi-definite");
            }
            copy.add(s);
        }
        return new GaussianSpace(k, side, List.copyOf(copy));
    }

    /**
     * The paper's 12 covariances {@code σ² [[a, ρ√(ab)], [ρ√(ab), b]]}, in the order a ∈ {0.5, 1} (outer),
     * b ∈ {0.5, 1}, ρ ∈ {−0.5, 0, 0.5} (inner), each as {@code {Σ11, Σ12, Σ22}}.
     */
    public static List<double[]> paperCovariances(double sigma2) {
        Require.positive(sigma2, "sigma2");
        List<double[]> list = new ArrayList<>();
        for (double a : new double[] {0.5, 1}) {
            for (double b : new double[] {0.5, 1}) {
                for (double rho : new double[] {-0.5, 0, 0.5}) {
                    list.add(new double[] {sigma2 * a, sigma2 * rho * Math.sqrt(a * b), sigma2 * b});
                }
            }
        }
        return list;
    }

    /**
     * The squared Bures distance {@code tr(A + B − 2 (A^{1/2} B A^{1/2})^{1/2})} between 2×2 symmetric positive
     * semi-definite matrices given as {@code {A11, A12, A22}}.
     */
    public static double buresSquared(double[] a, double[] b) {
        double trA = a[0] + a[2];
        double trB = b[0] + b[2];
        double detA = Math.max(0, a[0] * a[2] - a[1] * a[1]);
        double detB = Math.max(0, b[0] * b[2] - b[1] * b[1]);
        double trAB = a[0] * b[0] + 2 * a[1] * b[1] + a[2] * b[2];
        double cross = Math.sqrt(Math.max(0, trAB + 2 * Math.sqrt(detA * detB)));
        return Math.max(0, trA + trB - 2 * cross);
    }

    /** The squared 2-Wasserstein distance between two Gaussians {@code N(m, A)} and {@code N(m', B)}. */
    public static double wassersteinSquared(double[] m, double[] a, double[] mPrime, double[] b) {
        double dx = m[0] - mPrime[0];
        double dy = m[1] - mPrime[1];
        return dx * dx + dy * dy + buresSquared(a, b);
    }

    /** The number of covariances per mean. */
    public int covarianceCount() {
        return covariances.size();
    }

    /** Means per side. */
    public int meanGridSide() {
        return k;
    }

    /** The mean {@code (x, y)} of point {@code i}. */
    public double[] mean(int i) {
        int m = i / covariances.size();
        double h = side / (k - 1);
        return new double[] {(m % k) * h, (m / k) * h};
    }

    /** The covariance of point {@code i} as {@code {Σ11, Σ12, Σ22}}. */
    public double[] covariance(int i) {
        return covariances.get(i % covariances.size()).clone();
    }

    @Override
    public int size() {
        return k * k * covariances.size();
    }

    @Override
    public double distance(int i, int j) {
        return Math.sqrt(structure.squaredDistance(i, j));
    }

    @Override
    public double maxDistance() {
        double maxBures = 0;
        for (double v : bures2) {
            maxBures = Math.max(maxBures, v);
        }
        return Math.sqrt(2 * side * side + maxBures);
    }

    @Override
    public Optional<Coordinates> coordinates() {
        DMatrixRMaj c = new DMatrixRMaj(size(), 2);
        for (int i = 0; i < size(); i++) {
            double[] m = mean(i);
            c.unsafe_set(i, 0, m[0]);
            c.unsafe_set(i, 1, m[1]);
        }
        return Optional.of(new Coordinates(c, List.of("mx", "my"), Coordinates.Kind.EUCLIDEAN));
    }

    @Override
    public List<StructureHint> structure() {
        return List.of(structure);
    }

    @Override
    public String description() {
        return "2D Gaussians: " + k + "x" + k + " means on [0, " + side + "]^2 x " + covariances.size()
                + " covariances (" + size() + " points), Bures-Wasserstein distance";
    }

    /** Scaling W₂ by {@code f} is scaling the means by {@code f} and the covariances by {@code f²}: exact. */
    @Override
    public GaussianSpace scaled(double factor) {
        Require.positive(factor, "factor");
        double f2 = factor * factor;
        return new GaussianSpace(k, side * factor, covariances.stream()
                .map(s -> new double[] {s[0] * f2, s[1] * f2, s[2] * f2}).toList());
    }

    @Override
    public GaussianSpace normalizedToMax(double max) {
        Require.positive(max, "max");
        return scaled(max / maxDistance());
    }
}
