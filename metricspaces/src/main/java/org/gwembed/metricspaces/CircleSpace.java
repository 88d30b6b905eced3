package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * The circle of {@code n} bins with the arc-length distance (paper Appendix B: 360 bins).
 *
 * <p>Bin {@code i} is centred at angle {@code θ_i = 2π i / n}; the distance between bins {@code i, j} is
 * {@code radius · 2π min(|i − j|, n − |i − j|) / n}. {@link #of(int, double)} picks the radius so that the largest
 * distance (half the circumference, or the nearest bin to it) is {@code maxLength}; {@link #unit(int)} is the unit
 * circle. <b>Coordinates:</b> the angle ({@link Coordinates.Kind#ANGLES}). <b>Structure:</b> one periodic axis
 * (circulant).
 */
public final class CircleSpace implements MetricSpace {

    private final int n;
    private final double radius;

    private CircleSpace(int n, double radius) {
        this.n = n;
        this.radius = radius;
    }

    /** The unit circle with {@code n >= 2} bins. */
    public static CircleSpace unit(int n) {
        Require.atLeast(n, 2, "bins n");
        return new CircleSpace(n, 1.0);
    }

    /** A circle of {@code n >= 2} bins whose largest distance is {@code maxLength}. */
    public static CircleSpace of(int n, double maxLength) {
        Require.atLeast(n, 2, "bins n");
        Require.positive(maxLength, "maxLength");
        return new CircleSpace(n, maxLength / FlatTorusGrid.periodicStep(n, n / 2));
    }

    /**
     * Histogram of the von Mises density {@code exp(κ cos(θ − μ))} at the bin centres, normalised to sum 1
     * (paper Appendix B; {@code κ = 0} gives the uniform histogram).
     */
    public double[] vonMisesWeights(double kappa, double mu) {
        Require.nonNegative(kappa, "kappa");
        Require.finite(mu, "mu");
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            // subtract κ in the exponent to avoid overflow for large κ
            w[i] = Math.exp(kappa * (Math.cos(angle(i) - mu) - 1));
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** The number of bins. */
    public int bins() {
        return n;
    }

    /** The radius: distance = radius · arc angle. */
    public double radius() {
        return radius;
    }

    /** The centre angle θ ∈ [0, 2π) of bin {@code i}. */
    public double angle(int i) {
        return 2 * Math.PI * i / n;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double distance(int i, int j) {
        return radius * FlatTorusGrid.periodicStep(n, j - i);
    }

    @Override
    public double maxDistance() {
        return radius * FlatTorusGrid.periodicStep(n, n / 2);
    }

    @Override
    public Optional<Coordinates> coordinates() {
        DMatrixRMaj c = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            c.data[i] = angle(i);
        }
        return Optional.of(new Coordinates(c, List.of("theta"), Coordinates.Kind.ANGLES));
    }

    @Override
    public List<StructureHint> structure() {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = distance(i, j);
                s[i * n + j] = d * d;
            }
        }
        return List.of(new GridStructure(List.of(new GridStructure.Axis(n, s, true, true))));
    }

    @Override
    public String description() {
        return "circle of " + n + " bins, radius " + radius;
    }

    @Override
    public CircleSpace scaled(double factor) {
        Require.positive(factor, "factor");
        return new CircleSpace(n, radius * factor);
    }

    @Override
    public CircleSpace normalizedToMax(double max) {
        return of(n, max);
    }
}
