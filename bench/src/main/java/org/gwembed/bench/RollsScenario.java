package org.gwembed.bench;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PlaneGrid;

/**
 * The paper's rolls (S-curve vs Swiss roll with a hole, λ = 50, ε = 6e-4) on each of the mode's plane grids, in the
 * three {@link SolverSetting}s, after an untimed warm-up of each setting.
 */
final class RollsScenario implements Scenario {

    /**
     * Untimed outer iterations that each setting runs on the first grid before the rolls are timed: the timed runs
     * then measure the steady state of each iteration, not the JIT compiling its code paths on 2 busy cores (in a
     * fresh JVM the fast 30 x 30 run's 40 iterations took ~2.5 s longer; after 8 warm-up iterations, within ~4 % of
     * a full 40-iteration warm-up).
     */
    static final int WARMUP_ITERATIONS = 8;

    @Override
    public String name() {
        return "rolls";
    }

    @Override
    public void run(Measurements m) {
        Sizes sizes = m.sizes();
        int n = sizes.rollPoints();
        MetricMeasureSpace y1 = Measurements.meshSpace(MeshGenerators.sCurve(n));
        MetricMeasureSpace y2 = Measurements.meshSpace(MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()));
        for (SolverSetting setting : SolverSetting.ALL) {
            JointEmbedding.embed(y1, y2, PlaneGrid.of(sizes.rollGrids()[0], 1.3), setting.apply(
                    JointEmbedding.Options.defaults(50, 6e-4).withOuterIterations(sizes.rollWarmupIterations())));
        }
        for (int side : sizes.rollGrids()) {
            JointEmbedding.Options options = JointEmbedding.Options.defaults(50, 6e-4)
                    .withOuterIterations(sizes.rollIterations());
            for (SolverSetting setting : SolverSetting.ALL) {
                m.embed("rolls" + setting.suffix(), setting.label() == null ? "S-curve (" + y1.size()
                        + ") vs Swiss roll with hole (" + y2.size() + ") -> plane " + side + "x" + side
                        : "the same, " + setting.label(), y1, y2, PlaneGrid.of(side, 1.3), setting.apply(options));
            }
        }
    }
}
