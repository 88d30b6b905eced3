package org.gwembed.examples;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.GaussianMixture;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.MixtureGromovWasserstein;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.GaussianSpace;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.PointCloudGenerators;
import org.gwembed.solvers.GromovWasserstein;

/**
 * The paper's §6.3: Gaussian mixtures fitted by EM to two 2D point sets (Blobs and Moons under random affine maps,
 * or any two tables), each mixture a metric-measure space (its components with the W₂ distances between them, scaled
 * to max 1, and the mixture weights), EW_λ into the space of 2D Gaussians, and MGW₂ between the mixtures.
 */
public final class MixtureExample {

    private MixtureExample() {
    }

    /**
     * The paper's point sets: scikit-learn style Blobs ({@code centers} clusters of std 1, centres in [-10, 10]²) and
     * Moons ({@code noise}), each under its own random affine map; seeds {@code seed} to {@code seed + 3}.
     *
     * @return the Blobs and the Moons, {@code samples} × 2 each
     */
    public static List<DMatrixRMaj> pointSets(int samples, int centers, double noise, long seed) {
        Require.atLeast(samples, 2, "samples");
        Require.atLeast(centers, 1, "centers");
        Require.nonNegative(noise, "noise");
        DMatrixRMaj blobs = PointCloudGenerators.blobs(samples, centers, 1.0, 10.0, seed).points();
        DMatrixRMaj moons = PointCloudGenerators.moons(samples, noise, seed + 1).points();
        PointCloudGenerators.AffineMap fa = PointCloudGenerators.randomAffine(2, 0.5, 2.0, 5.0, seed + 2);
        PointCloudGenerators.AffineMap fb = PointCloudGenerators.randomAffine(2, 0.5, 2.0, 5.0, seed + 3);
        return List.of(fa.apply(blobs), fb.apply(moons));
    }

    /**
     * A point set and the mixture fitted to it.
     *
     * @param name        short name for titles ({@code Blobs}, {@code X})
     * @param spec        where it came from, as the user named it
     * @param description how it was made
     * @param points      the points, one per row
     * @param mixture     the fitted mixture
     * @param scale       the factor that makes the largest W₂ between its components 1 (1 for one component)
     */
    public record Fitted(String name, String spec, String description, DMatrixRMaj points, GaussianMixture mixture,
            double scale) {

        /**
         * The mixture as a metric-measure space: the W₂ distances between its components, divided by their maximum,
         * and the mixture weights.
         */
        public MetricMeasureSpace space() {
            DenseMetricSpace d = DenseMetricSpace.of(mixture.componentDistances(),
                    name + " mixture: " + mixture.size() + " components, W2 distances");
            MetricSpace s = scale != 1 ? d.normalizedToMax(1) : d;
            return MetricMeasureSpace.of(s, mixture.weights());
        }

        /** The mixture with every W₂ between components multiplied by {@link #scale()} (means by s, covariances by s²). */
        public GaussianMixture scaled() {
            double s = scale;
            List<double[]> means = new ArrayList<>();
            List<DMatrixRMaj> covs = new ArrayList<>();
            for (int k = 0; k < mixture.size(); k++) {
                double[] m = mixture.means().get(k).clone();
                for (int i = 0; i < m.length; i++) {
                    m[i] *= s;
                }
                means.add(m);
                DMatrixRMaj c = mixture.covariances().get(k).copy();
                for (int i = 0; i < c.data.length; i++) {
                    c.data[i] *= s * s;
                }
                covs.add(c);
            }
            return new GaussianMixture(mixture.weights().clone(), means, covs);
        }

        /** The weighted mean of tr Σ / d over the components, in the scaled units. */
        double meanVariance() {
            double v = 0;
            for (int k = 0; k < mixture.size(); k++) {
                DMatrixRMaj c = mixture.covariances().get(k);
                double tr = 0;
                for (int i = 0; i < c.numRows; i++) {
                    tr += c.get(i, i);
                }
                v += mixture.weights()[k] * tr / c.numRows;
            }
            return v * scale * scale;
        }
    }

    /**
     * A fitted mixture with its scale.
     *
     * @throws IllegalArgumentException when a mixture of several components has them all in one place
     */
    public static Fitted fitted(String name, String spec, String description, DMatrixRMaj points, GaussianMixture g) {
        double max = 0;
        for (double v : g.componentDistances().data) {
            max = Math.max(max, v);
        }
        if (g.size() > 1 && !(max > 0)) {
            throw new IllegalArgumentException("all " + g.size() + " fitted components coincide");
        }
        return new Fitted(name, spec, description, points, g, max > 0 ? 1 / max : 1);
    }

    /**
     * σ² such that the space of Gaussians' covariance scale, after it is scaled to max {@code maxLength}, equals the
     * mixtures' mean variance (weighted mean of tr Σ / 2, in units where each mixture's largest component distance
     * is 1). With means on [0, 1]², the space's max distance² is {@code 2 + c σ²} ({@code c} the largest squared
     * Bures distance at σ² = 1), so {@code σ² L² / (2 + c σ²) = v} gives {@code σ² = 2 v / (L² − c v)}.
     */
    public static double autoSigma2(Fitted a, Fitted b, double maxLength) {
        double v = (a.meanVariance() + b.meanVariance()) / 2;
        double maxDist = GaussianSpace.of(2, 1.0).maxDistance();
        double c = maxDist * maxDist - 2;
        double l2 = maxLength * maxLength;
        double denominator = Math.max(l2 - c * v, 0.25 * l2);
        double s = 2 * v / denominator;
        return s > 0 && Double.isFinite(s) ? s : 0.01;
    }

    /**
     * What to run.
     *
     * @param x       the first fitted mixture
     * @param y       the second
     * @param space   the space of 2D Gaussians to embed into
     * @param options the EW_λ settings (with the progress listener)
     */
    public record Request(Fitted x, Fitted y, GaussianSpace space, JointEmbedding.Options options) {
        public Request {
            Require.nonNull(x, "x");
            Require.nonNull(y, "y");
            Require.nonNull(space, "space");
            Require.nonNull(options, "options");
        }
    }

    /**
     * What the example found.
     *
     * @param mgw        MGW₂ between the fitted mixtures (raw W₂ distances)
     * @param mgwSeconds time of {@code mgw}
     * @param mgwScaled  MGW₂ between the mixtures scaled as the embedded spaces are (largest W₂ between components 1)
     * @param embedding  EW_λ of both mixtures into the space
     */
    public record Result(MixtureGromovWasserstein.Result mgw, double mgwSeconds,
            MixtureGromovWasserstein.Result mgwScaled, EmbeddingResult embedding) {
    }

    /** MGW₂ between the mixtures (raw and scaled), then EW_λ of both into the space of Gaussians. */
    public static Result run(Request request) {
        Fitted a = request.x();
        Fitted b = request.y();
        long t0 = System.nanoTime();
        MixtureGromovWasserstein.Result mgw = MixtureGromovWasserstein.compute(a.mixture(), b.mixture(),
                GromovWasserstein.Options.defaults());
        double mgwSeconds = (System.nanoTime() - t0) / 1e9;
        MixtureGromovWasserstein.Result mgwScaled = MixtureGromovWasserstein.compute(a.scaled(), b.scaled(),
                GromovWasserstein.Options.defaults());
        EmbeddingResult r = JointEmbedding.embed(a.space(), b.space(), request.space(), request.options());
        return new Result(mgw, mgwSeconds, mgwScaled, r);
    }
}
