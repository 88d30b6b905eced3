package org.gwembed.bench;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.SphereGrid;

/** A spherical rectangle vs a spherical cap, both with holes, on the sphere grid (λ = 1000, ε = 1e-3). */
final class SphereScenario implements Scenario {

    @Override
    public String name() {
        return "sphere";
    }

    @Override
    public void run(Measurements m) {
        Sizes sizes = m.sizes();
        int n = sizes.spherePoints();
        MetricMeasureSpace y1 = Measurements.meshSpace(MeshGenerators.sphericalRectangleWithHole(n));
        MetricMeasureSpace y2 = Measurements.meshSpace(MeshGenerators.sphericalCapWithHole(n));
        int side = sizes.sphereGrid();
        JointEmbedding.Options options = JointEmbedding.Options.defaults(1000, 1e-3)
                .withOuterIterations(sizes.sphereIterations());
        m.embed("sphere", "spherical rectangle (" + y1.size() + ") vs cap (" + y2.size() + ") -> sphere " + side + "x"
                + side, y1, y2, SphereGrid.of(side, 1.3), options);
    }
}
