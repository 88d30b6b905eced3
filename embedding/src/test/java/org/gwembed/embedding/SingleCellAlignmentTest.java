package org.gwembed.embedding;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.FeatureMatrices;
import org.gwembed.metricspaces.SparseRows;
import org.junit.jupiter.api.Test;

class SingleCellAlignmentTest {

    private static final int CELLS = 48;

    /** Two noisy views (a helix, and a curve in 4 dimensions) of one latent time, three classes by time. */
    private static SingleCellAlignment.Data coAssay(boolean labelled) {
        SplittableRandom rng = new SplittableRandom(11);
        DMatrixRMaj x = new DMatrixRMaj(CELLS, 3);
        DMatrixRMaj y = new DMatrixRMaj(CELLS, 4);
        int[] classes = new int[CELLS];
        for (int i = 0; i < CELLS; i++) {
            double t = i / (CELLS - 1.0);
            x.set(i, 0, Math.cos(4 * t) + 0.02 * rng.nextGaussian());
            x.set(i, 1, Math.sin(4 * t) + 0.02 * rng.nextGaussian());
            x.set(i, 2, 0.5 * t);
            y.set(i, 0, t);
            y.set(i, 1, t * t + 0.02 * rng.nextGaussian());
            y.set(i, 2, Math.sqrt(t));
            y.set(i, 3, 0.2 * Math.cos(3 * t));
            classes[i] = Math.min(2, (int) (3 * t));
        }
        return labelled ? new SingleCellAlignment.Data(x, y, classes, classes.clone())
                : new SingleCellAlignment.Data(x, y, null, null);
    }

    private static SingleCellAlignment.Protocol small() {
        return SingleCellAlignment.Protocol.defaults().withK(5).withGrid(6).withLambdas(List.of(0.1, 1.0))
                .withOuterIterations(3).withThreads(1).withJmdsIterations(5);
    }

    @Test
    void theGridSearchRunsEveryCandidateAndChoosesOnTheValidationSplit() {
        List<String> stages = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void outerIteration(JointEmbedding.Step step) {
            }

            @Override
            public void stage(String description) {
                stages.add(description);
            }
        };
        SingleCellAlignment.Report r = SingleCellAlignment.align(coAssay(true),
                small().withMethod(SingleCellAlignment.Method.BOTH).withListener(listener));
        assertEquals(2, r.geodesics().size());
        assertEquals(List.of("euclidean lambda=0.1", "euclidean lambda=1", "scot lambda=0.1", "scot lambda=1"),
                r.ewl().candidates().stream().map(SingleCellAlignment.Candidate::label).toList(), "graph-major order");
        assertEquals(4, r.ewl().results().size());
        assertEquals(5, r.split().validation().size(), "10 % of 48 cells, rounded up");
        assertEquals(CELLS, r.split().validation().size() + r.split().test().size());
        ModelSelection.Selection sel = r.ewl().selection();
        for (ModelSelection.Evaluation e : sel.all()) {
            assertTrue(sel.best().validation().symmetric() <= e.validation().symmetric(), e.label());
        }
        assertEquals(sel.all().get(sel.bestIndex()).label(), r.ewl().best().label());
        assertEquals(CELLS, r.ewl().z1().numRows);
        assertNotNull(r.ewl().allCellsTransfer());
        double f = r.ewl().allCells().symmetric();
        assertTrue(f >= 0 && f <= 1, "FOSCTTM " + f);
        assertEquals(List.of(SingleCellAlignment.Graph.EUCLIDEAN, SingleCellAlignment.Graph.SCOT), r.jmds().graphs());
        assertEquals(CELLS, r.jmds().result().z1().numRows);
        assertEquals(List.of("candidate 1/4 (euclidean lambda=0.1)", "candidate 2/4 (euclidean lambda=1)",
                "candidate 3/4 (scot lambda=0.1)", "candidate 4/4 (scot lambda=1)", "JMDS on the euclidean graph",
                "JMDS on the scot graph"), stages);
    }

    /**
     * Modalities held sparse (as 10x folders and CSR AnnData are read) give the dense run's alignment: the same graphs
     * (KnnSearchTest), so the same choice and the same FOSCTTM.
     */
    @Test
    void sparseModalitiesGiveTheDenseAlignment() {
        SingleCellAlignment.Data dense = coAssay(true);
        SingleCellAlignment.Data sparse = new SingleCellAlignment.Data(
                FeatureMatrices.Rows.of(SparseRows.fromDense(dense.x().dense())),
                FeatureMatrices.Rows.of(SparseRows.fromDense(dense.y().dense())), dense.classesX(), dense.classesY());
        SingleCellAlignment.Protocol p = small().withLambdas(List.of(1.0));
        SingleCellAlignment.Report a = SingleCellAlignment.align(dense, p);
        SingleCellAlignment.Report b = SingleCellAlignment.align(sparse, p);
        assertEquals(a.ewl().best().label(), b.ewl().best().label());
        assertEquals(a.ewl().allCells().symmetric(), b.ewl().allCells().symmetric(), 1e-9);
        for (int t = 0; t < a.ewl().z1().data.length; t++) {
            assertEquals(a.ewl().z1().data[t], b.ewl().z1().data[t], 1e-9);
        }
    }

    @Test
    void theMethodDecidesWhatRunsAndClassesAreOptional() {
        SingleCellAlignment.Report jmds = SingleCellAlignment.align(coAssay(false),
                small().withMethod(SingleCellAlignment.Method.JMDS).withGraphs(List.of(SingleCellAlignment.Graph.SCOT)));
        assertNull(jmds.ewl());
        assertNull(jmds.jmds().selection().best().transfer(), "no classes, no label transfer");
        SingleCellAlignment.Report ewl = SingleCellAlignment.align(coAssay(false),
                small().withGraphs(List.of(SingleCellAlignment.Graph.EUCLIDEAN)).withLambdas(List.of(1.0)));
        assertNull(ewl.jmds());
        assertNull(ewl.ewl().allCellsTransfer());
        assertEquals(1, ewl.ewl().candidates().size());
    }

    @Test
    void badProtocolsAndDataAreRefusedNamingTheArgument() {
        SingleCellAlignment.Protocol p = small();
        assertRejects("k", () -> p.withK(0));
        assertRejects("grid", () -> p.withGrid(1));
        assertRejects("lambda", () -> p.withLambdas(List.of(1.0, -1.0)));
        assertRejects("lambdas", () -> p.withLambdas(List.of()));
        assertRejects("validationFraction", () -> p.withValidation(1.0, SingleCellAlignment.SplitKind.RANDOM, 0));
        assertRejects("graphs", () -> p.withGraphs(List.of()));
        assertRejects("jmdsIterations", () -> p.withJmdsIterations(0));
        assertRejects("rows", () -> new SingleCellAlignment.Data(new DMatrixRMaj(5, 2), new DMatrixRMaj(6, 2), null,
                null));
        assertRejects("both", () -> new SingleCellAlignment.Data(new DMatrixRMaj(5, 2), new DMatrixRMaj(5, 2),
                new int[5], null));
        assertRejects("2k+1", () -> SingleCellAlignment.align(new SingleCellAlignment.Data(new DMatrixRMaj(10, 2),
                new DMatrixRMaj(10, 2), null, null), p));
    }

    @Test
    void theDefaultsAreThePapersProtocol() {
        SingleCellAlignment.Protocol p = SingleCellAlignment.Protocol.defaults();
        assertEquals(10, p.candidates().size());
        assertEquals(20, p.grid());
        assertEquals(1e-3, p.epsilon());
        assertEquals(50, p.outerIterations());
        assertEquals(0.1, p.validationFraction());
        JointEmbedding.Options o = p.embeddingOptions(10);
        assertEquals(JointEmbedding.CostScaling.REFERENCE, o.costScaling());
        assertEquals(List.of(10.0), o.lambdas());
        assertTrue(!o.warmStart(), "the reference starts cold");
        assertTrue(p.withSpeed(org.gwembed.solvers.Precision.SINGLE, true, true).embeddingOptions(1).warmStart());
    }
}
