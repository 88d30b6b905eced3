package org.gwembed.bench;

import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PlaneGrid;

/**
 * The scaling study: seconds per outer iteration of the rolls against the grid points N (fixed n), and against the
 * input vertices n (fixed grid); the report fits the log-log exponents.
 */
final class ScalingScenario implements Scenario {

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public void run(Measurements m) {
        Sizes sizes = m.sizes();
        int n = sizes.scalingPoints();
        MetricMeasureSpace y1 = Measurements.meshSpace(MeshGenerators.sCurve(n));
        MetricMeasureSpace y2 = Measurements.meshSpace(MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()));
        JointEmbedding.Options options = JointEmbedding.Options.defaults(50, 6e-4)
                .withOuterIterations(sizes.scalingIterations()).withOuterTolerance(0);
        if (m.rows().isEmpty()) {
            // run alone (Harness --scaling): warm the JIT up first, as the rolls do in the full report, so that the
            // smallest point does not carry the compilation
            JointEmbedding.embed(y1, y2, PlaneGrid.of(sizes.scalingSides()[0], 1.3),
                    options.withOuterIterations(sizes.rollWarmupIterations()));
        }
        for (int side : sizes.scalingSides()) {
            EmbeddingResult r = m.embed("scaling-grid", "rolls (" + y1.size() + ", " + y2.size() + ") -> plane "
                    + side + "x" + side, y1, y2, PlaneGrid.of(side, 1.3), options);
            m.scalingPoint("grid points N (n = " + n + ")", side * side, Measurements.meanStep(r));
        }
        int side = sizes.scalingGrid();
        for (int k : sizes.scalingN()) {
            MetricMeasureSpace a = Measurements.meshSpace(MeshGenerators.sCurve(k));
            MetricMeasureSpace b = Measurements.meshSpace(MeshGenerators.swissRoll(k, MeshGenerators.Hole.centre()));
            EmbeddingResult r = m.embed("scaling-n", "rolls (" + a.size() + ", " + b.size() + ") -> plane " + side
                    + "x" + side, a, b, PlaneGrid.of(side, 1.3), options);
            m.scalingPoint("input vertices n (grid " + side + "x" + side + ")", (a.size() + b.size()) / 2,
                    Measurements.meanStep(r));
        }
    }
}
