package org.gwembed.embedding;

import static org.gwembed.core.Fixtures.sharedData;
import static org.gwembed.embedding.SmacofTest.assertMessage;
import static org.gwembed.embedding.SmacofTest.distances;
import static org.gwembed.embedding.SmacofTest.randomPoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.Labels;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class JointMdsTest {

    /** Row sums of the coupling equal ξ₁ (the reference's last Sinkhorn update is the row one). */
    private static final double ROW_MARGINAL = 1e-12;

    private static MetricMeasureSpace space(DMatrixRMaj points) {
        return MetricMeasureSpace.uniform(DistanceMatrices.normalizedToMean(
                DenseMetricSpace.of(distances(points), "points"), 1));
    }

    @Test
    void optionsCarryTheReferenceDefaultsAndPresets() {
        JointMds.Options d = JointMds.Options.defaults();
        assertEquals(2, d.dimensions());
        assertEquals(1.0, d.alpha());
        assertEquals(0.01, d.epsilon());
        assertEquals(300, d.maxIterations());
        assertEquals(1e-3, d.tolerance());
        assertEquals(1e-3, d.minEpsilon());
        assertTrue(d.epsilonAnnealing());
        assertFalse(d.alphaAnnealing());
        assertEquals(10, d.procrustesIterations());
        assertEquals(5, d.sinkhornIterations());
        assertEquals(1e-5, d.procrustesTolerance());
        assertEquals(300, d.smacof().maxIterations());
        assertEquals(1e-3, d.smacof().tolerance());
        JointMds.Options s = JointMds.Options.snareseq();
        assertEquals(0.3, s.alpha());
        assertEquals(0.1, s.epsilon());
        assertFalse(s.epsilonAnnealing());
        assertEquals(100, s.maxIterations());
        assertEquals(500, JointMds.Options.scgem().maxIterations());
    }

    @Test
    void resultCarriesDiagnosticsAndNonConvergenceIsData() {
        DMatrixRMaj x = randomPoints(40, 3, 1);
        DMatrixRMaj y = randomPoints(35, 2, 2);
        JointMds.Result r = JointMds.fit(space(x), space(y), JointMds.Options.defaults().withMaxIterations(3));
        assertEquals(JointMds.StopReason.MAX_ITERATIONS, r.stopReason());
        assertFalse(r.converged());
        assertEquals(3, r.iterations());
        assertEquals(40, r.z1().numRows);
        assertEquals(35, r.z2().numRows);
        assertEquals(2, r.z1().numCols);
        assertEquals(40, r.coupling().numRows);
        assertEquals(35, r.coupling().numCols);
        assertEquals(3, r.stressHistory().length);
        assertEquals(3, r.displacementHistory().length);
        assertEquals(3, r.smacofIterations().length);
        assertEquals(3, r.procrustesIterations().length);
        for (int i = 0; i < 40; i++) {
            double row = 0;
            for (int j = 0; j < 35; j++) {
                row += r.coupling().get(i, j);
            }
            assertEquals(1.0 / 40, row, ROW_MARGINAL);
        }
        // ε annealed after iterations 1 and 2: the third ran with 0.01 · 0.95²
        assertEquals(0.01 * 0.95 * 0.95, r.finalEpsilon(), 1e-15);
        assertEquals(1.0, r.finalAlpha());
        JointMds.Result annealed = JointMds.fit(space(x), space(y), JointMds.Options.defaults().withMaxIterations(3)
                .withAlphaAnnealing(true));
        assertEquals(0.81, annealed.finalAlpha(), 1e-15);
        assertTrue(r.timings().total() >= r.timings().procrustes() + r.timings().smacof());
        assertTrue(r.initialStress()[0] > 0 && r.initialStress()[1] > 0);
    }

    @Test
    void sameSeedSameResult() {
        MetricMeasureSpace x = space(randomPoints(30, 3, 4));
        MetricMeasureSpace y = space(randomPoints(30, 3, 5));
        JointMds.Options o = JointMds.Options.singleCell(20).withSeed(9);
        JointMds.Result a = JointMds.fit(x, y, o);
        JointMds.Result b = JointMds.fit(x, y, o);
        assertEquals(a.iterations(), b.iterations());
        for (int k = 0; k < a.z1().getNumElements(); k++) {
            assertEquals(a.z1().data[k], b.z1().data[k], 0.0);
        }
    }

    @Test
    void isometricCopiesAreMatchedFromMostStarts() {
        // an asymmetric cloud against itself: from most random starts JMDS finds the identity correspondence (PCA
        // aligns the two initial configurations); some starts end in a mirrored local optimum, as the reference does
        DMatrixRMaj x = randomPoints(60, 2, 21);
        for (int i = 0; i < 15; i++) {
            x.set(i, 0, x.get(i, 0) + 3); // a lopsided cluster breaks the mirror symmetry
        }
        int matched = 0;
        StringBuilder all = new StringBuilder();
        for (long seed = 0; seed < 4; seed++) {
            double f = JointMds.fit(space(x), space(x), JointMds.Options.defaults().withSeed(seed)).foscttm()
                    .symmetric();
            all.append(' ').append(f);
            matched += f < 0.01 ? 1 : 0;
        }
        assertTrue(matched >= 3, "FOSCTTM of identical inputs per seed:" + all);
    }

    @Test
    void badInputNamesTheArgument() {
        MetricMeasureSpace x = space(randomPoints(5, 2, 1));
        JointMds.Options o = JointMds.Options.defaults();
        assertMessage("space1", () -> JointMds.fit(null, x, o));
        assertMessage("space2", () -> JointMds.fit(x, null, o));
        assertMessage("options", () -> JointMds.fit(x, x, null));
        assertMessage("at least 6 points", () -> JointMds.fit(x, x, o.withDimensions(6)));
        assertMessage("alpha must be > 0", () -> o.withAlpha(-1));
        assertMessage("epsilon must be > 0", () -> o.withEpsilon(0));
        assertMessage("maxIterations", () -> o.withMaxIterations(0));
        assertMessage("tolerance", () -> o.withTolerance(Double.NaN));
        assertMessage("initializations", () -> o.withInitializations(0));
        assertMessage("dimensions", () -> o.withDimensions(0));
        assertMessage("smacof", () -> o.withSmacof(null));
    }

    // ---------------------------------------------------------------- real data (../shared/data)

    /** JointMDS's preparation: geodesics of the given k-NN graph divided by their mean, uniform weights. */
    private static MetricMeasureSpace prepare(Path features, KnnGraph.Options graph) {
        DMatrixRMaj x = Tables.read(features).values();
        return MetricMeasureSpace.uniform(DistanceMatrices.normalizedToMean(KnnGraph.geodesics(x, graph), 1));
    }

    /**
     * {@code example_scGEM.py}: l2-normalised rows, {@code geodesic_dist(X, k=35, metric="correlation")} with its
     * default {@code mode="distance"} (correlation edge lengths, self excluded), divided by the mean; α = 0.3,
     * ε = 0.1, no annealing, 500 iterations. Numpy ports of the reference: symmetric FOSCTTM 0.20–0.23 (seeds 0–4).
     */
    static JointMds.Result scgem(long seed) {
        KnnGraph.Options graph = KnnGraph.Options.scot(35).withWeighting(KnnGraph.Weighting.DISTANCE)
                .withIncludeSelf(false);
        MetricMeasureSpace expression = prepare(sharedData("scgem/scGEM_expression.csv"), graph);
        MetricMeasureSpace methylation = prepare(sharedData("scgem/scGEM_methylation.csv"), graph);
        return JointMds.fit(expression, methylation, JointMds.Options.scgem().withSeed(seed));
    }

    @Test
    void scgemWithTheReferencePreparationAndPreset() {
        JointMds.Result r = scgem(0);
        AlignmentMetrics.Foscttm f = r.foscttm();
        assertTrue(f.symmetric() < 0.30, "symmetric FOSCTTM " + f);
        int[] labels1 = Labels.toClasses(Labels.read(sharedData("scgem/scGEM_typeExpression.txt"))).indices();
        int[] labels2 = Labels.toClasses(Labels.read(sharedData("scgem/scGEM_typeMethylation.txt"))).indices();
        AlignmentMetrics.LabelTransfer t = r.labelTransfer(labels1, labels2, 5);
        assertTrue(t.oneFromTwo() > 0.35, "label transfer " + t); // chance: 0.2
    }

    @Tag("slow")
    @Test
    void scgemSeedsOneToFourLandInTheReferenceRange() {
        for (long seed = 1; seed <= 4; seed++) {
            AlignmentMetrics.Foscttm f = scgem(seed).foscttm();
            assertTrue(f.symmetric() < 0.30, "seed " + seed + ": symmetric FOSCTTM " + f);
        }
    }

    /**
     * {@code example_SNAREseq.py}: ATAC (domain 1) and RNA (domain 2), l2-normalised rows, correlation k-NN graph
     * with k = 110, connectivity weights, self included, divided by the mean; α = 0.3, ε = 0.1, no annealing,
     * 100 iterations. Numpy ports of the reference: symmetric FOSCTTM 0.17–0.24 (seeds 0–1).
     */
    @Tag("slow")
    @Test
    void snareseqWithTheReferencePreparationAndPreset() {
        MetricMeasureSpace atac = prepare(sharedData("snareseq/SNAREseq_atac_feat.npy"), KnnGraph.Options.scot(110));
        MetricMeasureSpace rna = prepare(sharedData("snareseq/SNAREseq_rna_feat.npy"), KnnGraph.Options.scot(110));
        JointMds.Result r = JointMds.fit(atac, rna, JointMds.Options.snareseq().withSeed(0));
        assertEquals(100, r.iterations());
        AlignmentMetrics.Foscttm f = r.foscttm();
        assertTrue(f.symmetric() < 0.30, "symmetric FOSCTTM " + f);
        int[] labels1 = Labels.toClasses(Labels.read(sharedData("snareseq/SNAREseq_atac_types.txt"))).indices();
        int[] labels2 = Labels.toClasses(Labels.read(sharedData("snareseq/SNAREseq_rna_types.txt"))).indices();
        assertTrue(r.labelTransfer(labels1, labels2, 5).oneFromTwo() > 0.6);
    }
}
