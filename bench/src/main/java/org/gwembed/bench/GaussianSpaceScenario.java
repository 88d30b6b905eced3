package org.gwembed.bench;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;

/** The rolls into the space of 2D Gaussians ({@code gaussians:K}, λ = 100, ε = 5e-4). */
final class GaussianSpaceScenario implements Scenario {

    @Override
    public String name() {
        return "gaussians";
    }

    @Override
    public void run(Measurements m) {
        Sizes sizes = m.sizes();
        int n = sizes.gaussianPoints();
        MetricMeasureSpace y1 = Measurements.meshSpace(MeshGenerators.sCurve(n));
        MetricMeasureSpace y2 = Measurements.meshSpace(MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()));
        String spec = "gaussians:" + sizes.gaussianK();
        MetricSpace x = EmbeddingSpaces.parse(spec, 1.3);
        JointEmbedding.Options options = JointEmbedding.Options.defaults(100, 5e-4)
                .withOuterIterations(sizes.gaussianIterations());
        m.embed("gaussians", "S-curve (" + y1.size() + ") vs Swiss roll (" + y2.size() + ") -> " + spec + " (N = "
                + x.size() + ")", y1, y2, x, options);
    }
}
