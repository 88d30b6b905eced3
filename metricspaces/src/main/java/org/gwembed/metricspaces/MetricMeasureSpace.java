package org.gwembed.metricspaces;

import java.util.Arrays;

import org.gwembed.core.Require;

/**
 * A metric-measure space 𝕐 = (Y, d, ξ): a {@link MetricSpace} and a probability vector of weights on its points
 * (METHOD.md §1). Immutable; validated once at construction.
 */
public final class MetricMeasureSpace {

    /** Tolerance on {@code |Σ ξ − 1|} for {@link #of(MetricSpace, double[])}. */
    public static final double WEIGHT_SUM_TOLERANCE = 1e-9;

    private final MetricSpace space;
    private final double[] weights;

    private MetricMeasureSpace(MetricSpace space, double[] weights) {
        this.space = space;
        this.weights = weights;
    }

    /**
     * A space with the given weights, which must be {@code N} finite entries {@code >= 0} summing to 1 within
     * {@link #WEIGHT_SUM_TOLERANCE}. The weights are copied.
     */
    public static MetricMeasureSpace of(MetricSpace space, double[] weights) {
        Require.nonNull(space, "space");
        Require.probabilityVector(weights, space.size(), WEIGHT_SUM_TOLERANCE, "weights");
        return new MetricMeasureSpace(space, weights.clone());
    }

    /**
     * A space with weights proportional to the given ones ({@code N} finite entries {@code >= 0}, positive sum),
     * normalised to sum to 1.
     */
    public static MetricMeasureSpace normalizing(MetricSpace space, double[] weights) {
        Require.nonNull(space, "space");
        Require.finiteVector(weights, space.size(), "weights");
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException("weights[" + i + "] must be >= 0, got " + weights[i]);
            }
            sum += weights[i];
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalArgumentException("weights must have a positive finite sum, got " + sum);
        }
        double[] w = new double[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i] / sum;
        }
        return new MetricMeasureSpace(space, w);
    }

    /** The space with the uniform measure {@code 1/N}. */
    public static MetricMeasureSpace uniform(MetricSpace space) {
        Require.nonNull(space, "space");
        double[] w = new double[space.size()];
        Arrays.fill(w, 1.0 / w.length);
        return new MetricMeasureSpace(space, w);
    }

    /** The underlying metric space. */
    public MetricSpace space() {
        return space;
    }

    /** The number of points. */
    public int size() {
        return space.size();
    }

    /** A copy of the weights ξ. */
    public double[] weights() {
        return weights.clone();
    }

    /** The weight of point {@code i}. */
    public double weight(int i) {
        return weights[i];
    }

    /** The same measure on the space scaled so that its largest distance is {@code max}. */
    public MetricMeasureSpace normalizedToMax(double max) {
        return new MetricMeasureSpace(space.normalizedToMax(max), weights);
    }

    /** The same space with other weights (validated as in {@link #of(MetricSpace, double[])}). */
    public MetricMeasureSpace withWeights(double[] newWeights) {
        return of(space, newWeights);
    }

    @Override
    public String toString() {
        return "MetricMeasureSpace[" + space.description() + ", " + weights.length + " points]";
    }
}
